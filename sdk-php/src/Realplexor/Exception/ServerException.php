<?php

namespace Realplexor\Exception;

/**
 * The server answered with an HTTP status other than 200 (403 for bad credentials,
 * 413 for an oversized request). The message keeps the original API's wording,
 * "Request failed: <code> <reason>\n<body>", so code that inspects it keeps working.
 */
class ServerException extends RealplexorException
{
    private int $statusCode;
    private string $statusLine;
    private string $body;

    public function __construct(int $statusCode, string $statusLine, string $body, string $message)
    {
        parent::__construct($message, $statusCode);
        $this->statusCode = $statusCode;
        $this->statusLine = $statusLine;
        $this->body = $body;
    }

    public function getStatusCode(): int
    {
        return $this->statusCode;
    }

    /** The whole first line of the answer, e.g. "HTTP/1.0 403 Access Deined". */
    public function getStatusLine(): string
    {
        return $this->statusLine;
    }

    public function getBody(): string
    {
        return $this->body;
    }
}
