/**
 * Tern's metrics in Prometheus form: {@link dev.tern.admin.metrics.PrometheusMetrics} is the
 * {@code MetricsRecorder} providers report through and the {@code RelayListener} the relay reports to;
 * {@link dev.tern.admin.metrics.MeteredPolicyEvaluator} times policy decisions. No metric has a user,
 * client or peer address as a label.
 */
package dev.tern.admin.metrics;
