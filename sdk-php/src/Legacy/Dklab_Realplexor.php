<?php
/*
 * Source of Dklab_Realplexor, the drop-in for the original PHP API. Composer's autoloader
 * and sdk-php/autoload.php load it from here; src/Dklab/Realplexor.php, the file
 * applications copy, is built from it and src/Realplexor/ by tools/build-single-file.php.
 * After editing, run that tool (the tests fail while the two differ).
 */

use Realplexor\Client;
use Realplexor\Exception\RealplexorException;

/**
 * Drop-in replacement for the original Dklab Realplexor PHP API.
 *
 * Same class name, constructor, methods, argument forms, return shapes and exception
 * class as the API applications were written against, so swapping the file (or adding
 * this package) needs no code change. The wire work is done by Realplexor\Client; new
 * code should use that class directly.
 *
 * Deliberate differences, all of them turning a silent failure into an exception:
 * a read that times out (default_socket_timeout) throws instead of passing for a
 * zero-byte success; a cursor must be a non-negative decimal (the server drops any
 * other item without a word); limiter ids must be alphanumeric like target ids; data
 * json_encode() cannot encode throws instead of publishing nothing.
 */
class Dklab_Realplexor
{
    /** Seconds to establish the connection, as in the original. */
    private const CONNECT_TIMEOUT = 5.0;

    private $host;
    private $port;
    private $namespace;
    private $identifier;
    private $login;
    private $password;
    private $tls;
    private $caFile;

    /**
     * @param string     $host       host of the IN line
     * @param string|int $port       port of the IN line; 443 means TLS
     * @param string     $namespace  prefix put in front of every id
     * @param string     $identifier the server's IDENTIFIER marker
     */
    public function __construct($host, $port, $namespace = null, $identifier = "identifier")
    {
        $this->host = (string) $host;
        $this->port = (int) $port;
        $this->namespace = (string) $namespace;
        $this->identifier = (string) $identifier;
    }

    /**
     * Remembers credentials for every later call; nothing is checked until then. The
     * namespace becomes LOGIN_ + namespace, the only ids the server lets this login reach.
     *
     * @param string $login
     * @param string $password
     * @return void
     */
    public function logon($login, $password)
    {
        $this->login = (string) $login;
        $this->password = (string) $password;
    }

    /**
     * Ours (the original knew only "port 443 means TLS"): connects over TLS, or not,
     * whatever the port. The server's certificate is verified, its name included, against
     * $caFile when given (a private CA or the certificate itself), else against PHP's
     * openssl.cafile / the system's CAs. The bytes sent inside the connection are the same.
     *
     * @param bool        $enabled false for a plain socket even on port 443
     * @param string|null $caFile  PEM file of the CA to trust
     * @return void
     */
    public function setTls($enabled = true, $caFile = null)
    {
        $this->tls = (bool) $enabled;
        $this->caFile = $caFile === null ? null : (string) $caFile;
    }

    /**
     * Publishes $data (JSON-encoded) to ids.
     *
     * @param string|array $idsAndCursors "id", array(id1, id2, ...) or array(id => cursor, ...)
     *                                    (a null or '' cursor lets the server choose)
     * @param mixed        $data          anything json_encode() accepts
     * @param array|null   $showOnlyForIds only listeners also listening to one of these see it
     * @return void
     * @throws Dklab_Realplexor_Exception
     */
    public function send($idsAndCursors, $data, $showOnlyForIds = null)
    {
        if (!(array) $idsAndCursors) {
            // Nothing to publish to: the original sent a request the server ignored.
            return;
        }
        $limiters = is_array($showOnlyForIds) ? array_values($showOnlyForIds) : array();
        $client = $this->client();
        $this->guard(function () use ($client, $idsAndCursors, $data, $limiters) {
            $client->send($idsAndCursors, $data, $limiters);
        });
    }

    /**
     * @param string|array|null $idPrefixes only ids starting with one of these
     * @return array id => number of listeners (as a string, like the original)
     * @throws Dklab_Realplexor_Exception
     */
    public function cmdOnlineWithCounters($idPrefixes = null)
    {
        $client = $this->client();
        $prefixes = $idPrefixes === null ? array() : array_values((array) $idPrefixes);
        $counters = $this->guard(function () use ($client, $prefixes) {
            return $client->onlineWithCounters($prefixes);
        });
        return array_map('strval', $counters);
    }

    /**
     * @param string|array|null $idPrefixes only ids starting with one of these
     * @return array list of online ids
     * @throws Dklab_Realplexor_Exception
     */
    public function cmdOnline($idPrefixes = null)
    {
        return array_keys($this->cmdOnlineWithCounters($idPrefixes));
    }

    /**
     * Presence events with a position greater than $fromPos, the newest per id, oldest
     * first. From 0 the answer is one event "FAKE" whose pos is the position the next
     * event will get: watch from pos - 1 next to miss none, then from the last event's pos.
     *
     * @param string|int        $fromPos
     * @param string|array|null $idPrefixes only ids starting with one of these
     * @return array list of array('event' => ..., 'pos' => ..., 'id' => ...)
     * @throws Dklab_Realplexor_Exception
     */
    public function cmdWatch($fromPos, $idPrefixes = null)
    {
        $client = $this->client();
        $from = $fromPos ? $fromPos : 0;
        $prefixes = $idPrefixes === null ? array() : array_values((array) $idPrefixes);
        $events = $this->guard(function () use ($client, $from, $prefixes) {
            return $client->watch($from, $prefixes);
        });
        $list = array();
        foreach ($events as $event) {
            $list[] = array(
                'event' => $event->getType(),
                'pos' => (string) $event->getPosition(),
                'id' => $event->getId(),
            );
        }
        return $list;
    }

    /**
     * Ours: a subscription token for a server with signed subscriptions (SIGNED_PREFIXES,
     * SUBSCRIBE_SECRET), granting the ids (namespace, and LOGIN_ after logon(), glued in
     * front) for $lifetime seconds; the page hands it to sdk-js's setToken(). No request.
     *
     * @param string       $secret   the server's SUBSCRIBE_SECRET
     * @param string|array $ids      "id" or array(id1, id2, ...)
     * @param int          $lifetime seconds the token is good for
     * @return string
     * @throws Dklab_Realplexor_Exception
     */
    public function subscribeToken($secret, $ids, $lifetime)
    {
        $client = $this->client();
        return $this->guard(function () use ($client, $secret, $ids, $lifetime) {
            return $client->subscribeToken((string) $secret, $ids, (int) $lifetime);
        });
    }

    /**
     * A client for the current settings; built per call because logon() may change them.
     */
    private function client()
    {
        $options = array(
            'login' => $this->login,
            'password' => $this->password,
            'tls' => $this->tls === null ? $this->port === 443 : $this->tls,
            'cafile' => $this->caFile,
            'connect_timeout' => self::CONNECT_TIMEOUT,
            'timeout' => self::readTimeout(),
            'identifier' => $this->identifier,
        );
        return $this->guard(function () use ($options) {
            return new Client($this->host, $this->port, $this->namespace, $options);
        });
    }

    /**
     * The original's reads were bounded by PHP's default_socket_timeout; so are ours.
     */
    private static function readTimeout()
    {
        $seconds = (float) ini_get('default_socket_timeout');
        return $seconds > 0 ? $seconds : null;
    }

    /**
     * Runs $call, re-throwing the client's errors as the class callers catch.
     */
    private function guard(callable $call)
    {
        try {
            return $call();
        } catch (RealplexorException $e) {
            throw new Dklab_Realplexor_Exception($e->getMessage(), $e->getCode(), $e);
        }
    }
}

/**
 * Every error of Dklab_Realplexor: network failures, non-200 answers (the message holds
 * the status and the body), broken answers, invalid ids or cursors.
 */
class Dklab_Realplexor_Exception extends Exception
{
}
