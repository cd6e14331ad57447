/**
 * The launcher's plugin directory: jars, or folders of jars, each plugin in its own class loader that sees only
 * the API ({@link dev.tern.launcher.plugin.PluginDirectory}).
 */
package dev.tern.launcher.plugin;
