<?php

namespace Realplexor\Exception;

/**
 * The server answered, but not in a form a Realplexor IN line uses: not HTTP, no
 * Content-Length, a body shorter or longer than announced, an unreadable WATCH line.
 */
class ProtocolException extends RealplexorException
{
}
