package org.realplexor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class QueryValuesTest {

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("GET /?identifier=a&token=T1 HTTP/1.1\r\n\r\n", List.of("T1")),
                Arguments.of("GET /?token=T1&identifier=a&token=T2 HTTP/1.1\r\n\r\n", List.of("T1", "T2")),
                Arguments.of("GET /?identifier=a HTTP/1.1\r\n\r\n", List.of()),
                Arguments.of("GET /?identifier=a&token= HTTP/1.1\r\n\r\n", List.of("")),
                Arguments.of("GET /?identifier=a&token HTTP/1.1\r\n\r\n", List.of()),
                Arguments.of("GET /?identifier=a&xtoken=T1&tokens=T2 HTTP/1.1\r\n\r\n", List.of()),
                Arguments.of("GET /?token=%41%2e1 HTTP/1.1\r\n\r\n", List.of("A.1")),
                Arguments.of("GET /?token=%4 HTTP/1.1\r\n\r\n", List.of()),
                Arguments.of("GET /?identifier=a#token=T1 HTTP/1.1\r\n\r\n", List.of()),
                Arguments.of("GET /path?identifier=a&token=T1\r\n\r\n", List.of("T1")),
                Arguments.of("GET /?identifier=a&token=T1", List.of("T1")),
                // Only the request line: not a header, not a body.
                Arguments.of("POST / HTTP/1.1\r\nX-Token: ?token=T1\r\n\r\n?token=T2", List.of()),
                Arguments.of("identifier=a&token=T1", List.of()));
    }

    @ParameterizedTest
    @MethodSource("table")
    void tokens(String request, List<String> expected) {
        byte[] b = request.getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(expected, QueryValues.all(b, b.length, "token"), request);
    }
}
