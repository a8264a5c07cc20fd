<?php
/*
 * Publishes {"n": 1}, {"n": 2}, ... to channel "Alpha" of namespace "demo_" once a second,
 * through the drop-in Dklab_Realplexor class, exactly as an application written for the
 * original server would.
 *
 *   php examples/php-publisher/publish.php [IN_HOST [IN_PORT]]     (default 127.0.0.1 10010)
 *
 * A browser subscribed with new Dklab_Realplexor(WAIT_URL, "demo_").subscribe("Alpha", ...)
 * sees every message; one long poll, `curl 'http://127.0.0.1:8088/?identifier=demo_Alpha'`,
 * returns the next one.
 */

// The single file an application of the original API copies as Dklab/Realplexor.php.
require_once __DIR__ . '/../../sdk-php/src/Dklab/Realplexor.php';

$host = isset($argv[1]) ? $argv[1] : '127.0.0.1';
$port = isset($argv[2]) ? $argv[2] : '10010';

$rpl = new Dklab_Realplexor($host, $port, 'demo_');
for ($n = 1; ; $n++) {
    try {
        $rpl->send('Alpha', array('n' => $n));
        echo date('H:i:s'), " sent {\"n\":$n} to demo_Alpha\n";
    } catch (Dklab_Realplexor_Exception $e) {
        // Keep going: the server may be restarting; the next second tries again.
        fwrite(STDERR, date('H:i:s') . ' ' . $e->getMessage() . "\n");
    }
    sleep(1);
}
