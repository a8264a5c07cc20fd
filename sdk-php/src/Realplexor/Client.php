<?php

namespace Realplexor;

use Realplexor\Exception\InvalidArgumentException;
use Realplexor\Exception\ProtocolException;

/**
 * Publisher client for a Realplexor IN line (ours or the original Perl/C++ server).
 *
 *     $rpl = new Client('127.0.0.1', 10010, 'demo_', ['timeout' => 2.0]);
 *     $rpl->send('Alpha', ['text' => 'hi']);          // ['Alpha' => '1712345678.12345600000000']
 *     $rpl->onlineWithCounters();                      // ['Alpha' => 2]
 *
 * Every id given to or returned by a method is relative to the namespace; the server sees
 * namespace + id. With a login the namespace becomes LOGIN_ + namespace, because the
 * server lets a logged-in publisher reach only ids that start with LOGIN_.
 *
 * An instance holds configuration only (each call opens its own connection), so it can be
 * shared freely. Every failure is a Realplexor\Exception\RealplexorException.
 */
final class Client
{
    private const DEFAULTS = [
        'login' => null,
        'password' => null,
        'tls' => null,
        'connect_timeout' => 5.0,
        'timeout' => 5.0,
        'ssl' => [],
        'cafile' => null,
        'identifier' => 'identifier',
        'json_flags' => 0,
    ];

    private string $namespace;
    private string $credentials;
    private string $identifier;
    private int $jsonFlags;
    private Transport $transport;

    /**
     * @param string $host      host of the IN line
     * @param int    $port      port of the IN line; 443 turns TLS on unless 'tls' says otherwise
     * @param string $namespace prefix glued in front of every id, e.g. "demo_"
     * @param array<string, mixed> $options
     *   - login, password (string): credentials from the server's users file
     *   - tls (bool): connect over TLS (default: port === 443, or a cafile given)
     *   - cafile (string): PEM file of the CA (or certificate) to trust instead of the system's;
     *     turns TLS on unless 'tls' => false, with peer and peer-name verification on
     *   - ssl (array): PHP "ssl" stream context options, e.g. ['peer_name' => ...]; they
     *     override what cafile sets
     *   - connect_timeout (float, seconds, default 5)
     *   - timeout (float|null, seconds for the whole answer, default 5; null waits for ever)
     *   - identifier (string): the server's IDENTIFIER knob, default "identifier"
     *   - json_flags (int): flags for json_encode() in send(), default 0 (as the original API)
     */
    public function __construct(string $host, int $port, string $namespace = '', array $options = [])
    {
        $unknown = array_diff_key($options, self::DEFAULTS);
        if ($unknown) {
            throw new InvalidArgumentException('Unknown option(s): ' . implode(', ', array_keys($unknown)));
        }
        $options += self::DEFAULTS;
        self::requireWord($namespace, 'Namespace', true);

        $login = (string) $options['login'];
        $this->credentials = '';
        if ($login !== '') {
            self::requireWord($login, 'Login', false);
            $password = (string) $options['password'];
            // The password ends at "@" and the header at whitespace: neither can be carried.
            if (preg_match('/[@\s]/', $password)) {
                throw new InvalidArgumentException('Password must not contain "@" or whitespace');
            }
            $this->credentials = $login . ':' . $password . '@';
            $namespace = $login . '_' . $namespace;
        }
        $this->namespace = $namespace;
        $this->identifier = (string) $options['identifier'];
        self::requireWord($this->identifier, 'Identifier marker', false);
        // Failures are reported as this client's exception, not as a JsonException.
        $this->jsonFlags = (int) $options['json_flags'] & ~JSON_THROW_ON_ERROR;

        $timeout = $options['timeout'];
        $ssl = (array) $options['ssl'];
        $caFile = $options['cafile'];
        if ($caFile !== null) {
            $caFile = (string) $caFile;
            if (!is_file($caFile) || !is_readable($caFile)) {
                throw new InvalidArgumentException("CA file not found or not readable: $caFile");
            }
            // Stated, not left to PHP's defaults: a default context set elsewhere
            // (stream_context_set_default) must not turn verification off for this client.
            $ssl = array_replace(['cafile' => $caFile, 'verify_peer' => true, 'verify_peer_name' => true], $ssl);
        }
        $this->transport = new Transport(
            $host,
            $port,
            $options['tls'] === null ? $port === 443 || $caFile !== null : (bool) $options['tls'],
            (float) $options['connect_timeout'],
            $timeout === null ? null : (float) $timeout,
            $ssl
        );
    }

    /** The prefix the server sees in front of every id (LOGIN_ + namespace when logged in). */
    public function getNamespace(): string
    {
        return $this->namespace;
    }

    /**
     * Publishes $data, JSON-encoded, to one or more ids.
     *
     * @param string|array<int|string, mixed> $ids "Alpha", ['Alpha', 'Beta'], or
     *     ['Alpha' => cursor, ...] with a numeric cursor (null or '' lets the server pick one).
     *     Integer keys are list positions, so an all-digit id cannot carry a cursor.
     * @param mixed $data anything json_encode() accepts
     * @param string[] $showOnlyForIds only listeners that also listen to one of these ids see it
     * @param string|null $idempotencyKey the same key on every retry of this message (1 to 128
     *     printable ASCII characters without space): within the server's IDEMPOTENCY_WINDOW
     *     (5 minutes by default) a repeat stores nothing and returns the first send's cursors.
     *     Scoped per login; the original server ignores it. null: none
     * @return array<string, string> id => the cursor the message got, as the server reports
     *     it (ours does; the original answers nothing, which gives an empty array)
     */
    public function send($ids, $data, array $showOnlyForIds = [], ?string $idempotencyKey = null): array
    {
        $json = json_encode($data, $this->jsonFlags);
        if ($json === false) {
            throw new InvalidArgumentException('Data cannot be JSON-encoded: ' . json_last_error_msg());
        }
        return $this->sendJson($ids, $json, $showOnlyForIds, $idempotencyKey);
    }

    /**
     * Like send(), for data that is JSON already: the bytes are published as they are.
     *
     * @param string|array<int|string, mixed> $ids
     * @param string[] $showOnlyForIds
     * @param string|null $idempotencyKey as for send()
     * @return array<string, string>
     */
    public function sendJson($ids, string $json, array $showOnlyForIds = [], ?string $idempotencyKey = null): array
    {
        $headers = [];
        if ($idempotencyKey !== null) {
            // The server's rule: a key could otherwise break the header apart.
            if (!preg_match('/^[!-~]{1,128}$/D', $idempotencyKey)) {
                throw new InvalidArgumentException('Idempotency key must be 1 to 128 printable ASCII characters'
                    . ' without space, "' . $idempotencyKey . '" given');
            }
            $headers['X-Realplexor-Idempotency-Key'] = $idempotencyKey;
        }
        if ($json === '') {
            throw new InvalidArgumentException('Data must not be empty: an empty message publishes nothing');
        }
        if (!is_string($ids) && !is_int($ids) && !is_array($ids)) {
            throw new InvalidArgumentException('Ids must be a string or an array, ' . gettype($ids) . ' given');
        }
        $items = [];
        foreach ((array) $ids as $key => $value) {
            if (is_int($key)) {
                $id = $value;
                $cursor = null;
            } else {
                $id = $key;
                $cursor = $value;
            }
            $id = self::requireWord($id, 'Identifier', false);
            if ($cursor === null || $cursor === '') {
                $items[] = $this->namespace . $id;
            } else {
                $items[] = self::requireCursor($cursor) . ':' . $this->namespace . $id;
            }
        }
        if (!$items) {
            throw new InvalidArgumentException('No target id given');
        }
        foreach ($showOnlyForIds as $limiter) {
            $items[] = '*' . $this->namespace . self::requireWord($limiter, 'Identifier', false);
        }

        $answer = $this->transport->post($this->marker(implode(',', $items)), $json, $headers);

        $cursors = [];
        foreach (explode("\n", $answer) as $line) {
            // Lines other than "ID CURSOR" are tolerated: the message is published already.
            if (preg_match('/^(\w+) ([0-9]+(?:\.[0-9]+)?)\r?$/', $line, $m)) {
                $id = $this->relative($m[1]);
                if ($id !== null) {
                    $cursors[$id] = $m[2];
                }
            }
        }
        return $cursors;
    }

    /**
     * Ids that have listeners now (or had them within the server's OFFLINE_TIMEOUT).
     *
     * @param string[] $prefixes only ids starting with one of these (inside the namespace)
     * @return string[]
     */
    public function online(array $prefixes = []): array
    {
        return array_map('strval', array_keys($this->onlineWithCounters($prefixes)));
    }

    /**
     * @param string[] $prefixes only ids starting with one of these (inside the namespace)
     * @return array<string, int> id => number of WAIT connections listening to it now
     */
    public function onlineWithCounters(array $prefixes = []): array
    {
        $answer = $this->command('ONLINE', $this->prefixes($prefixes));
        $counters = [];
        foreach (explode("\n", $answer) as $line) {
            if ($line === '') {
                continue;
            }
            if (!preg_match('/^(\w+) (\d+)$/', $line, $m)) {
                throw new ProtocolException('Cannot parse an ONLINE line: "' . $line . '"');
            }
            $id = $this->relative($m[1]);
            if ($id !== null) {
                $counters[$id] = (int) $m[2];
            }
        }
        return $counters;
    }

    /**
     * Presence changes with a position greater than $fromPosition, the newest per id,
     * oldest first. From 0 (or null / '') the answer is one FAKE event holding the position
     * the next event will get (so resume from one less to include that event).
     *
     * @param int|string|null $fromPosition
     * @param string[] $prefixes only ids starting with one of these (inside the namespace)
     * @return Event[]
     */
    public function watch($fromPosition, array $prefixes = []): array
    {
        $from = $fromPosition === null || $fromPosition === '' ? '0' : (string) $fromPosition;
        if (!preg_match('/^[0-9]+(\.[0-9]+)?$/D', $from)) {
            throw new InvalidArgumentException('Position value must be numeric, "' . $from . '" given');
        }
        $answer = $this->command('WATCH ' . $from, $this->prefixes($prefixes));
        $events = [];
        foreach (explode("\n", $answer) as $line) {
            if (trim($line) === '') {
                continue;
            }
            if (!preg_match('/^(\w+)\s+(\d+):(\S+)\s*$/', $line, $m)) {
                throw new ProtocolException('Cannot parse a WATCH line: "' . $line . '"');
            }
            if ($m[1] === Event::FAKE) {
                $events[] = new Event($m[1], (int) $m[2], $m[3]);
                continue;
            }
            $id = $this->relative($m[3]);
            if ($id !== null) {
                $events[] = new Event($m[1], (int) $m[2], $id);
            }
        }
        return $events;
    }

    /**
     * @param string[] $prefixes
     */
    private function command(string $verb, array $prefixes): string
    {
        $line = $verb . ($prefixes ? ' ' . implode(' ', $prefixes) : '');
        return $this->transport->post($this->marker(''), $line . "\n");
    }

    /**
     * Namespaced prefixes; a namespace alone is a prefix too, or the server would answer
     * for every id it has.
     *
     * @param string[] $prefixes
     * @return string[]
     */
    private function prefixes(array $prefixes): array
    {
        if (!$prefixes) {
            return $this->namespace === '' ? [] : [$this->namespace];
        }
        $namespaced = [];
        foreach ($prefixes as $prefix) {
            $namespaced[] = $this->namespace . self::requireWord($prefix, 'Prefix', true);
        }
        return $namespaced;
    }

    /**
     * A subscription token for a server with signed subscriptions (its SIGNED_PREFIXES and
     * SUBSCRIBE_SECRET knobs): grants a browser the ids (namespace glued in front, as send()
     * does) for $lifetime seconds. The page hands it to sdk-js's setToken(). Made here, no
     * request; the format is the server's (PROTOCOL.md section 14): EXPIRY.ID-ID.MAC, MAC =
     * HMAC-SHA256 with the secret over "EXPIRY.ID-ID", URL-safe base64 without padding.
     *
     * @param string          $secret   the server's SUBSCRIBE_SECRET
     * @param string|string[] $ids      "Alpha" or ['Alpha', 'Beta'], without the namespace
     * @param int             $lifetime seconds the token is good for, more than 0
     * @param int|null        $now      unix seconds to count from (default: time())
     */
    public function subscribeToken(string $secret, $ids, int $lifetime, ?int $now = null): string
    {
        if ($secret === '') {
            throw new InvalidArgumentException('Secret must not be empty: a token is signed with SUBSCRIBE_SECRET');
        }
        if ($lifetime <= 0) {
            throw new InvalidArgumentException('Lifetime must be more than 0 seconds, "' . $lifetime . '" given');
        }
        $full = [];
        foreach ((array) $ids as $id) {
            $full[] = $this->namespace . self::requireWord($id, 'Identifier', false);
        }
        if (!$full) {
            throw new InvalidArgumentException('A token grants at least one id, none given');
        }
        $payload = (($now ?? time()) + $lifetime) . '.' . implode('-', $full);
        $mac = hash_hmac('sha256', $payload, $secret, true);
        return $payload . '.' . rtrim(strtr(base64_encode($mac), '+/', '-_'), '=');
    }

    private function marker(string $items): string
    {
        return $this->identifier . '=' . $this->credentials . $items;
    }

    /** The id without the namespace, or null for an id outside it. */
    private function relative(string $id): ?string
    {
        if ($this->namespace === '') {
            return $id;
        }
        if (strncmp($id, $this->namespace, strlen($this->namespace)) !== 0) {
            return null;
        }
        return (string) substr($id, strlen($this->namespace));
    }

    /**
     * Ids, prefixes and logins are ASCII words; anything else would break the identifier
     * list apart (the explicit class keeps a non-C locale from widening \w).
     *
     * @param mixed $value
     */
    private static function requireWord($value, string $what, bool $emptyAllowed): string
    {
        $word = is_int($value) || is_string($value) ? (string) $value : null;
        if ($word === null || !preg_match($emptyAllowed ? '/^[A-Za-z0-9_]*$/D' : '/^[A-Za-z0-9_]+$/D', $word)) {
            throw new InvalidArgumentException($what . ' must be alphanumeric, "' . self::show($value) . '" given');
        }
        return $word;
    }

    /**
     * A cursor is a non-negative decimal; the server drops any other item silently, so it
     * is refused here where the caller can still learn about it.
     *
     * @param mixed $cursor
     */
    private static function requireCursor($cursor): string
    {
        $text = is_int($cursor) || is_string($cursor) ? (string) $cursor : null;
        if (is_float($cursor) && is_finite($cursor) && $cursor >= 0) {
            // Fixed-point to the microsecond, never exponent notation, no padding zeros.
            $text = rtrim(rtrim(sprintf('%.6F', $cursor), '0'), '.');
        }
        if ($text === null || !preg_match('/^[0-9]+(\.[0-9]+)?$/D', $text)) {
            throw new InvalidArgumentException('Cursor must be numeric, "' . self::show($cursor) . '" given');
        }
        return $text;
    }

    /** @param mixed $value */
    private static function show($value): string
    {
        return is_scalar($value) ? (string) $value : gettype($value);
    }
}
