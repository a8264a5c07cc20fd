<?php
/*
 * Loads the package without Composer (the tests run with Debian's phpunit, offline) and
 * starts the real server once for the whole run.
 */

use Realplexor\Tests\Support\RealplexorServer;

require __DIR__ . '/autoload.php';

RealplexorServer::startShared(
    getenv('REALPLEXOR_JAR') ?: dirname(__DIR__, 2) . '/server/target/realplexor-server.jar'
);
