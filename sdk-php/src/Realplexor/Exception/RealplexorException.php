<?php

namespace Realplexor\Exception;

/**
 * Base of every error the client raises: catch this one type to handle them all.
 */
class RealplexorException extends \RuntimeException
{
}
