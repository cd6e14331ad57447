/**
 * Headless Chromium for tests: {@link dev.tern.testing.browser.PlaywrightScript} runs a Node.js script that
 * drives Debian's Chromium through playwright-core, after checking node, npm and Chromium are installed.
 */
package dev.tern.testing.browser;
