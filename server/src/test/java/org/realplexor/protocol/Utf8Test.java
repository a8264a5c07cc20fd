package org.realplexor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Utf8Test {

    /** Bytes in hex; the expected offset of the first ill-formed sequence, -1 for well-formed. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "'', -1",
        "7b2278223a317d, -1", // {"x":1}
        "d09fd180d0b8, -1", // Cyrillic
        "e282ac, -1", // euro sign
        "f09f9880, -1", // emoji
        "f48fbfbf, -1", // U+10FFFF
        "efbfbf, -1", // U+FFFF
        "ee8080, -1", // U+E000, after the surrogates
        "ed9fbf, -1", // U+D7FF, before them
        "ff, 0",
        "41ff, 1",
        "4180, 1", // continuation without a lead
        "c0af, 0", // overlong '/'
        "c1bf, 0", // overlong
        "e080af, 0", // overlong 3-byte
        "f08282ac, 0", // overlong 4-byte
        "eda080, 0", // U+D800
        "edbfbf, 0", // U+DFFF
        "f4908080, 0", // past U+10FFFF
        "f5808080, 0",
        "41e282, 1", // cut short at the end
        "41f09f98, 1",
        "c3, 0",
        "c341, 0", // lead followed by ASCII
        "e282c0, 0", // a lead where the last continuation belongs
        "e28241, 0",
        "d09fd180d0b8ff, 6",
    })
    void offsets(String hex, int expected) {
        assertEquals(expected, Utf8.firstInvalid(HexFormat.of().parseHex(hex)));
    }

    /** Agrees with the JDK's strict decoder on random bytes, biased towards multi-byte shapes. */
    @Test
    void agreesWithTheJdkDecoder() {
        Random r = new Random(42);
        byte[] alphabet = {
            0x41,
            (byte) 0x80,
            (byte) 0x8F,
            (byte) 0x90,
            (byte) 0x9F,
            (byte) 0xA0,
            (byte) 0xBF,
            (byte) 0xC0,
            (byte) 0xC2,
            (byte) 0xDF,
            (byte) 0xE0,
            (byte) 0xED,
            (byte) 0xEF,
            (byte) 0xF0,
            (byte) 0xF4,
            (byte) 0xF5
        };
        for (int round = 0; round < 20000; round++) {
            byte[] b = new byte[r.nextInt(8)];
            for (int i = 0; i < b.length; i++) b[i] = alphabet[r.nextInt(alphabet.length)];
            assertEquals(jdkValid(b), Utf8.firstInvalid(b) < 0, HexFormat.of().formatHex(b));
        }
    }

    private static boolean jdkValid(byte[] b) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
