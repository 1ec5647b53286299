/**
 * Test vectors made outside this code base, so a test checks our messages and algorithms
 * against an independent implementation, not against themselves: the RSA key pair was made with
 * `openssl genrsa 2048`, the certificate with `openssl req -x509` (serial below), the signatures
 * with `openssl dgst -sha256 -sign` over the exact bytes shown, and the AEAD ciphertext with
 * Python's `cryptography` AESGCM. The private key was thrown away: these are public halves only.
 */

export const VECTOR_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAnvZULlB8+Pi3/T8PT1uX
McK7ejA9YaWVnSytuOvcuMI047+zhQinV6b+KO7NyEq8jfRvmgsAi9g5SrvwNq41
ej2iTxZt2Zn5O7lfR3oTmsSBJB0E7p7Z2/o/rn+Gc0a0kcY7kSoEu5mB+YirZdX0
glRQr9uqZUQg/cOzwIxHzoncYhKGHQV0sI7HJKGHbuS9OHG6V2NDs1ewy+sv8mVk
tKWbH3FyVIgvppQ5erSIa3+LmYNpDSXnvqSsUhroX3SteEzPXYUiaSSsy3cI9t70
839hiGCqbfwbwUzS6j/Afwx5Wf4v90WyaDIAfKarwB21DVsZsJhTVnNjcp8Drx6s
yQIDAQAB
-----END PUBLIC KEY-----
`;

export const VECTOR_CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIDXTCCAkWgAwIBAgIUUVfwnv3Alt4V6+gaRwV6cjL+bTswDQYJKoZIhvcNAQEL
BQAwPjEgMB4GA1UEAwwXVGVucGF5LmNvbSBSb290IENBIHRlc3QxGjAYBgNVBAoM
EWppemFuIHRlc3QgdmVjdG9yMB4XDTI2MTIwNjIyNDExMFoXDTM2MTIwMzIyNDEx
MFowPjEgMB4GA1UEAwwXVGVucGF5LmNvbSBSb290IENBIHRlc3QxGjAYBgNVBAoM
EWppemFuIHRlc3QgdmVjdG9yMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKC
AQEAnvZULlB8+Pi3/T8PT1uXMcK7ejA9YaWVnSytuOvcuMI047+zhQinV6b+KO7N
yEq8jfRvmgsAi9g5SrvwNq41ej2iTxZt2Zn5O7lfR3oTmsSBJB0E7p7Z2/o/rn+G
c0a0kcY7kSoEu5mB+YirZdX0glRQr9uqZUQg/cOzwIxHzoncYhKGHQV0sI7HJKGH
buS9OHG6V2NDs1ewy+sv8mVktKWbH3FyVIgvppQ5erSIa3+LmYNpDSXnvqSsUhro
X3SteEzPXYUiaSSsy3cI9t70839hiGCqbfwbwUzS6j/Afwx5Wf4v90WyaDIAfKar
wB21DVsZsJhTVnNjcp8Drx6syQIDAQABo1MwUTAdBgNVHQ4EFgQUwA/0jGo0xOv8
pHvtsDmQJQUFLCgwHwYDVR0jBBgwFoAUwA/0jGo0xOv8pHvtsDmQJQUFLCgwDwYD
VR0TAQH/BAUwAwEB/zANBgkqhkiG9w0BAQsFAAOCAQEAWydNV45uBX/gthF0h9r7
FuzKNIS6zLaaJlN/+d9bx9t978eVS6i9lkXwp4XmPl/xomdxk5kdcjIeJBNojzGr
0OkxKCCroCRcwlvF6OweJ4gLlfJYm8jkd+iRk5+Adlj8O4qAOVcb4uvDFRN9lyz2
Mnpytq5sN9Asd+WKzjAaS4ievNr0WypunZZONDqVPpUu9gL+nvHf0EBAeEp4gxLR
e+b35RmECyT58IfH28X6Q2S30NJNvIuBe//CSdtZs7M9Rx1A9FWo7k3AFv7d84EB
3g1q0GhOE22pMc1/Y1t6j2tD3MPWcM5S6DI8bvkVzXfUxUbwNtjPO1vPcQHgKAi6
Ig==
-----END CERTIFICATE-----
`;

export const VECTOR_CERT_SERIAL = '5157F09EFDC096DE15EBE81A47057A7232FE6D3B';

/** A GET with no body, as the platform's signing guide walks through it: the last line is a bare newline. */
export const REQUEST_VECTOR = {
  method: 'GET',
  pathAndQuery: '/v3/certificates',
  timestamp: '1554208460',
  nonce: '593BEC0C930BF1AFEB40B4A08C8FB242',
  body: '',
  signature: 'Jg80gZBqRS1SGXgDkK5NsRkQkvIO8dfvf+Oj0JijvhFhM+V5Jg1sZ4Wt5DwTe0Hiqw9sPCOtVY/t+SHtWlFj7N9E9qtcS9joHSuYNygvYjOr8FpwRIIDtCFlcZUFMb0CblyixpMOq8JDSmTl/4Y/8IofkU89aC0/U6wYWvuzZpqVzBTmVyWjN8NHu/Wal/ecYuhBxppKNyZcSUPHlcrE2Gup836xYZ3YefwjuscoaQBZAaQfQKbALUtf1dYwivcnPJzkwPRFquIUbmO0w4UgmCmMAfzEN5RFjcKz7cg0yIAszWhP7Avu9w8LdSsBWs89CtBSD4Cxu3ou7vM8zOPw9w==',
};

/** An answer as the platform's verification guide shows one (its body, nonce and timestamp), signed by the vector key. */
export const RESPONSE_VECTOR = {
  timestamp: '1722850421',
  nonce: 'd824f2e086d3c1df967785d13fcd22ef',
  body: '{"code_url":"weixin://wxpay/bizpayurl?pr=JyC91EIz1"}',
  signature: 'kwLLMzBDg9niB1zqH7rwNIqpPX83FnWzahrpr493ljfzNSfs66dXU0YxAhv52QpT28IhjsV9noPpVGigoFPg+Wy94SauiCa5iz8Jh6yFiTtNq8m6rPkmW4DP1+SimtCdh0MBmEp/at4F6qn5ooVDSltz6RrN/PRObBQCa3ICn7Bo/H0nP5twK/qVNTHVRETWQ3mhnjOLSUuWc63qQSfaFmWAbTPdnxWSPpbfRkD2oByP5ojouQPtWrEa+QzdbwsmpqYjMoQMybhyi1kF7r2llhU+yxFkqluJ95v4PYwJ31icFyoc0s6DDkcU6DkIIcLEDWj+fNG77rMOXVWYwe19jQ==',
};

export const AEAD_VECTOR = {
  apiV3Key: '0123456789abcdefghijABCDEFGHIJ01',
  nonce: 'fixedNonce12',
  associatedData: 'transaction',
  plaintext: '{"out_trade_no":"jz-order-0001","trade_state":"SUCCESS","amount":{"total":990}}',
  ciphertext: 'nurhcY+ccj+0/BSvzWXShgw3UQmMRlu5wFL4LfgXTahWLMh/RB4y7BfKj7yVWKh6SfBFVZhj4uVzno9vucHrG5LXGim3qRW86OY3OkZXzCTJ+/GpgFKNlpRQYbx7k3E=',
};
