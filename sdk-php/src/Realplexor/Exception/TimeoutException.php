<?php

namespace Realplexor\Exception;

/**
 * The server accepted the connection but did not finish its answer within the read timeout.
 */
class TimeoutException extends ConnectionException
{
}
