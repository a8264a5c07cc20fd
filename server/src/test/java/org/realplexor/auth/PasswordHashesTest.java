package org.realplexor.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Vectors made with the tools operators use: {@code htpasswd -nb[m|B|s|d|2|5]} (Apache 2.4),
 * {@code openssl passwd -1/-apr1/-5/-6}, and the C library's crypt(3) (libxcrypt, via Python).
 */
class PasswordHashesTest {

    private static final String UMLAUTS = "p\u00e4ssw\u00f6rd";
    private static final String A72 = "a".repeat(72);

    static Stream<Arguments> vectors() {
        return Stream.of(
                // classic DES crypt: only the first 8 bytes count
                Arguments.of("password", "32qjML0Qsbo8o", true),
                Arguments.of("password", "abJnggxhB/yWI", true),
                Arguments.of("password12345", "abJnggxhB/yWI", true),
                Arguments.of("passwor", "abJnggxhB/yWI", false),
                Arguments.of("Password", "abJnggxhB/yWI", false),
                Arguments.of("S3cr3t pass", "o4bczbOikHXO.", true),
                Arguments.of("S3cr3t pXXX", "o4bczbOikHXO.", true),
                Arguments.of("S3cr3t", "o4bczbOikHXO.", false),
                Arguments.of("", "zz6dpSdr.LHZw", true),
                Arguments.of("x", "zz6dpSdr.LHZw", false),
                Arguments.of(UMLAUTS, "dPC6BsQsfS8rQ", true),
                // $1$ MD5-crypt
                Arguments.of("password", "$1$abcdefgh$G//4keteveJp0qb8z2DxG/", true),
                Arguments.of("Password", "$1$abcdefgh$G//4keteveJp0qb8z2DxG/", false),
                Arguments.of("password", "$1$abcdefgh$G//4keteveJp0qb8z2DxG.", false),
                Arguments.of("correct horse", "$1$short$ma5mhAr7RURgwDlFQmkYi/", true),
                // $apr1$ Apache MD5
                Arguments.of("S3cr3t pass", "$apr1$tojzadYQ$HbikVlgg273hIHh67QuKS1", true),
                Arguments.of("S3cr3t pasS", "$apr1$tojzadYQ$HbikVlgg273hIHh67QuKS1", false),
                Arguments.of("password", "$apr1$xyzXYZ12$GtqdA5JRfwgftAZbzEb8t.", true),
                Arguments.of("", "$apr1$ieTREAAt$eJ/rwP1zF8Nbz3aTyyEFT0", true),
                Arguments.of(" ", "$apr1$ieTREAAt$eJ/rwP1zF8Nbz3aTyyEFT0", false),
                Arguments.of("p@ss:w0rd", "$apr1$.0v7KWQN$CDx.LV1G2Qmlu.8UsDa0n/", true),
                // MD5-crypt and apr1 differ only in the magic: one must not verify as the other
                Arguments.of("password", "$1$xyzXYZ12$GtqdA5JRfwgftAZbzEb8t.", false),
                // $5$ SHA-256-crypt
                Arguments.of("S3cr3t pass", "$5$yh4e8hxYTENh10HW$pXhQ6BFB37lIp8tb9gV8aehQz8TKe83CmyFkryTZiX5", true),
                Arguments.of("password", "$5$saltsalt$gOjOtoMpVhru2uyjeJSEc/JaLQWOXMNmlOnj6T4AtC.", true),
                Arguments.of("passwor", "$5$saltsalt$gOjOtoMpVhru2uyjeJSEc/JaLQWOXMNmlOnj6T4AtC.", false),
                Arguments.of("pw", "$5$rounds=5000$custom$0n.IsTwSErugq0U3QVdgJhpBPsPjGvGcAZzXQXfSfT8", true),
                Arguments.of("pw", "$5$rounds=1000$saltysalt$y4IRU/9gNoDo8W1YGzqishidnTX9/BbXKXjGuPtk4kD", true),
                // $6$ SHA-512-crypt
                Arguments.of(
                        "S3cr3t pass",
                        "$6$hP9Vj7PMQ.ReQzpg$QB3IHQMhqS4D6idKIRIlZgrfRCHp5zEwqR1WVmIfFx43qvguHQ"
                                + "bHGtJEGYcusmY1gSk2/Afz6myy8Mb63QfMK1",
                        true),
                Arguments.of(
                        "password",
                        "$6$saltsalt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KiA2/jctKu9YterLp8wwnS"
                                + "q.qc.eoxqOmSuNp2xS0ktL3nh/",
                        true),
                Arguments.of(
                        "pw",
                        "$6$rounds=1000$saltysalt$fUMgfnf1X8kj8esXcxe5xaXneO3LhT.o1oIh8W.PLR0DFS4aKptOIq0"
                                + "SV9/c78ThMC.U58GHwhcyVtac.yMfA0",
                        true),
                Arguments.of(
                        "x",
                        "$6$rounds=1000$YHMb0pu9V3S7MoTl$mDeLeqmHiwlCO1W6kGIYOV0Qkhxr6FNt5PQeKWqEkkOedKB3M"
                                + "CYJMUk7jcGVgKhWWVE7kV/GSd0HIhwz5ogBy.",
                        true),
                Arguments.of(
                        "y",
                        "$6$rounds=1000$YHMb0pu9V3S7MoTl$mDeLeqmHiwlCO1W6kGIYOV0Qkhxr6FNt5PQeKWqEkkOedKB3M"
                                + "CYJMUk7jcGVgKhWWVE7kV/GSd0HIhwz5ogBy.",
                        false),
                // bcrypt $2a$ $2b$ $2y$
                Arguments.of("S3cr3t pass", "$2y$05$oJAsbw2jnDpvrcODJmLowuHB2V.69DXjAGVliPZI3sHQWTlCNPgbe", true),
                Arguments.of("S3cr3t pas", "$2y$05$oJAsbw2jnDpvrcODJmLowuHB2V.69DXjAGVliPZI3sHQWTlCNPgbe", false),
                Arguments.of("hunter2", "$2y$04$PMOgjetISVfvwoVoOkCnGOkQXJkZ0t7kv6PwFzNU.nN/CGs6V7LEu", true),
                Arguments.of("password", "$2a$04$abcdefghijklmnopqrstuughE8Ev8uGFaUgY2cNEySvxngrb/Jzdm", true),
                Arguments.of("password", "$2b$04$abcdefghijklmnopqrstuughE8Ev8uGFaUgY2cNEySvxngrb/Jzdm", true),
                Arguments.of("password", "$2y$04$abcdefghijklmnopqrstuughE8Ev8uGFaUgY2cNEySvxngrb/Jzdm", true),
                Arguments.of("passwore", "$2b$04$abcdefghijklmnopqrstuughE8Ev8uGFaUgY2cNEySvxngrb/Jzdm", false),
                Arguments.of(UMLAUTS, "$2y$04$pauYnA9LacgsIU..3j8vxePKQp1c7tJN7kR.0AFFGo8LiNTbcol9K", true),
                // bcrypt reads 72 bytes: longer passwords are truncated, as crypt(3) and htpasswd do
                Arguments.of(A72, "$2b$04$abcdefghijklmnopqrstuuBzzIgyKkz7xMWYSzkIjUSnxEQFQ0WNe", true),
                Arguments.of(A72 + "zzz", "$2b$04$abcdefghijklmnopqrstuuBzzIgyKkz7xMWYSzkIjUSnxEQFQ0WNe", true),
                Arguments.of("a".repeat(71), "$2b$04$abcdefghijklmnopqrstuuBzzIgyKkz7xMWYSzkIjUSnxEQFQ0WNe", false),
                Arguments.of("a".repeat(71), "$2b$04$abcdefghijklmnopqrstuuMCu.k1vM/ywQwiONaEn3oEMlZoCVBd6", true),
                Arguments.of(A72 + "b".repeat(8), "$2y$04$CV08nciz/HYoYTnOa.nuNu09HRxpP3vqZkmmr2waKNb2xivfCI01a", true),
                // {SHA}
                Arguments.of("S3cr3t pass", "{SHA}Vufdz+n8Rgg93rEyOhFnq1JPddA=", true),
                Arguments.of("S3cr3t pass ", "{SHA}Vufdz+n8Rgg93rEyOhFnq1JPddA=", false),
                Arguments.of(UMLAUTS, "{SHA}9Rfd8dMqES/xrVXGbRsSyzjn6Pc=", true),
                // unknown or malformed forms never match
                Arguments.of("password", "password", false),
                Arguments.of("", "", false),
                Arguments.of("x", "", false),
                Arguments.of("x", "*", false),
                Arguments.of("x", "!", false),
                Arguments.of("x", "$1$", false),
                Arguments.of("x", "$apr1$", false),
                Arguments.of("x", "$5$", false),
                Arguments.of("x", "$6$", false),
                Arguments.of("x", "$2y$04$short", false),
                Arguments.of("x", "$2y$", false),
                Arguments.of("x", "$2x$04$abcdefghijklmnopqrstuughE8Ev8uGFaUgY2cNEySvxngrb/Jzdm", false),
                Arguments.of("x", "{SHA}", false),
                Arguments.of("x", "{SSHA}Vufdz+n8Rgg93rEyOhFnq1JPddA=", false),
                Arguments.of("x", "$3$abc", false),
                Arguments.of("password", "ab!@#$%^&*()+", false),
                Arguments.of("password", "abJnggxhB/yW", false),
                Arguments.of("password", "abJnggxhB/yWIx", false),
                Arguments.of("password", " abJnggxhB/yWI", false));
    }

    @ParameterizedTest(name = "[{index}] {0} / {1}")
    @MethodSource("vectors")
    void verifiesEveryForm(String password, String hash, boolean matches) {
        assertEquals(matches, PasswordHashes.verify(password, hash));
    }

    @Test
    void nullsNeverMatch() {
        assertFalse(PasswordHashes.verify(null, "32qjML0Qsbo8o"));
        assertFalse(PasswordHashes.verify("password", null));
        assertFalse(PasswordHashes.verify(null, null));
    }
}
