package org.realplexor.config;

/** A listen address "host:port" (IPv6 as "[::1]:8088"). */
public record HostPort(String host, int port) {

    public static HostPort parse(String knob, String text) {
        String t = text.trim();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException(knob + ": expected host:port, got '" + text + "'");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(knob + ": bad port in '" + text + "'");
        }
        if (port < 0 || port > 65535)
            throw new IllegalArgumentException(knob + ": port out of range in '" + text + "'");
        return new HostPort(host, port);
    }

    /**
     * Whether the host is a loopback address, reachable from this machine only. A name that does
     * not resolve counts as not loopback: binding it fails anyway, and a guess must not open a line.
     */
    public boolean loopback() {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
