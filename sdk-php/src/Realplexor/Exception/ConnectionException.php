<?php

namespace Realplexor\Exception;

/**
 * The IN line could not be reached, or the connection broke while talking to it.
 */
class ConnectionException extends RealplexorException
{
}
