/** Writing a coturn {@code turnserver.conf} that shares Tern's secrets and peer rules ({@code tern export coturn}). */
package dev.tern.launcher.coturn;
