/** The admin page's live charts: a bounded history of each relay's allocations and relayed bit rate (#18). */
package dev.tern.admin.history;
