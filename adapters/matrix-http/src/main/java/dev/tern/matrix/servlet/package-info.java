/** The Jakarta Servlet 6 binding of the Matrix endpoints (async; the container provides the servlet API). */
package dev.tern.matrix.servlet;
