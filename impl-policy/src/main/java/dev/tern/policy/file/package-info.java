/**
 * The {@code file} policy source: rules from a YAML or JSON file, matched on user, server, guest status, network
 * and groups, reloaded when the file changes.
 */
package dev.tern.policy.file;
