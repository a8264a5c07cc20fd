/**
 * Publisher client for Realplexor, the Comet push server.
 *
 * <p>{@link org.realplexor.client.Realplexor} talks to the server's IN line the way the
 * original PHP API {@code Dklab_Realplexor} does: one request per connection, written over a
 * plain (or TLS) socket, followed by a half-close, and the answer read to end of input. It
 * therefore works against this project's server and against the original Perl/C++ one, which
 * answers a publish with zero bytes.
 */
package org.realplexor.client;
