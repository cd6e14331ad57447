/** Reading a Synapse {@code homeserver.yaml}'s TURN settings into a Tern config ({@code tern import synapse}). */
package dev.tern.launcher.synapse;
