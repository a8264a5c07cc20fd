package org.realplexor.example.chat;

/**
 * What the back end publishes to each chosen channel; the page renders these three fields.
 *
 * @param author who wrote it
 * @param text the message
 * @param time when the back end accepted it, in milliseconds since the epoch
 */
record ChatMessage(String author, String text, long time) {}
