/**
 * Metrics, health and the admin page for a running Tern: {@link dev.tern.admin.AdminConfig} is the
 * {@code metrics:} config section, {@link dev.tern.admin.AdminServer} serves {@code /metrics},
 * {@code /health/*}, {@code /admin} and {@code /admin/api/*}.
 */
package dev.tern.admin;
