<?php

namespace Realplexor\Exception;

/**
 * A call was rejected before any byte went out: an id that is not \w+, a cursor that is
 * not a non-negative decimal, data that cannot be JSON-encoded, an unknown option.
 */
class InvalidArgumentException extends RealplexorException
{
}
