package org.realplexor.engine;

import java.util.Map;
import org.realplexor.protocol.Cursor;

/**
 * The answer to a publish that carried an idempotency key.
 *
 * @param cursors the cursor each target of the key's first publish got, in that publish's order
 *                (the IN answer's {@code ID CURSOR} lines)
 * @param replay  true when the key was known: nothing was stored this time
 */
public record OncePublished(Map<String, Cursor> cursors, boolean replay) {}
