/**
 * An example policy plugin: the {@code office-hours} source forces relaying outside office hours. It depends
 * on {@code tern-api} alone and is found through {@code META-INF/services}; see
 * {@link dev.tern.examples.officehours.OfficeHoursProvider}.
 */
package dev.tern.examples.officehours;
