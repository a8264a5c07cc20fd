<?php

namespace Realplexor;

/**
 * One line of a WATCH answer: an id went online or offline at a position of the server's
 * event log. A watch from position 0 yields a single FAKE event instead, whose position
 * is the one the next event will get: watch() returns events after the position given, so
 * pass getPosition() - 1 to the next watch() to miss none.
 */
final class Event
{
    public const ONLINE = 'online';
    public const OFFLINE = 'offline';
    public const FAKE = 'FAKE';

    private string $type;
    private int $position;
    private string $id;

    public function __construct(string $type, int $position, string $id)
    {
        $this->type = $type;
        $this->position = $position;
        $this->id = $id;
    }

    /** "online", "offline" or "FAKE". */
    public function getType(): string
    {
        return $this->type;
    }

    public function getPosition(): int
    {
        return $this->position;
    }

    /** The id without the client's namespace ("FAKE" for a FAKE event). */
    public function getId(): string
    {
        return $this->id;
    }

    public function isFake(): bool
    {
        return $this->type === self::FAKE;
    }
}
