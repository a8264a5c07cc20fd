package org.realplexor.engine.redis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.realplexor.config.Settings;
import org.realplexor.protocol.Cursor;

/**
 * publish.lua's ARGV, built in one place: the plain publish and the keyed one (which appends
 * its own three after these, see {@link RedisPublishOnce}) read the same positions.
 */
final class PublishArgs {
    private PublishArgs() {}

    /**
     * @param refuseBelow replicas the master must have connected for anything to be stored (0: never refuse)
     * @param extra       room to reserve for arguments the caller appends
     */
    static List<Object> of(
            String prefix,
            Settings settings,
            Map<String, Cursor> targets,
            Collection<String> limiters,
            byte[] data,
            long refuseBelow,
            int extra) {
        List<Object> args = new ArrayList<>(8 + extra + 2 * targets.size() + limiters.size());
        args.add(prefix);
        args.add(Long.valueOf(settings.maxDataForId()));
        args.add(Long.valueOf(settings.cleanIdAfterMs()));
        args.add(Long.valueOf(targets.size()));
        targets.forEach((id, c) -> {
            args.add(id);
            args.add(c == null ? "" : c.text());
        });
        args.add(Long.valueOf(limiters.size()));
        args.addAll(limiters);
        args.add(data);
        args.add(Long.valueOf(refuseBelow));
        return args;
    }
}
