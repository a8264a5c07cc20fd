package demo;

import org.realplexor.client.RawJson;
import org.realplexor.client.Realplexor;

/** Builds a client (which needs Jackson at run time) without connecting anywhere. */
public final class Consumer {
    public static void main(String[] args) {
        Realplexor rpl = Realplexor.builder().host("127.0.0.1").port(10010).namespace("demo_").build();
        System.out.println("namespace=" + rpl.namespace() + " raw=" + RawJson.of("{\"n\":1}")
                + " module=" + Realplexor.class.getModule().getName());
    }
}
