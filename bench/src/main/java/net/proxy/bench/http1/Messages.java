package net.proxy.bench.http1;

/** The wire messages of {@link Http1ParseBenchmark}, modelled on real traffic. */
final class Messages {
    static final String API_GET = "GET /api/v1/users/12345?fields=name,email HTTP/1.1\r\n"
            + "Host: api.example.com\r\n"
            + "User-Agent: curl/8.5.0\r\n"
            + "Accept: application/json\r\n"
            + "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sig\r\n\r\n";

    static final String BROWSER_GET = "GET /search?q=reverse+proxy&source=hp&ei=3f9a HTTP/1.1\r\n"
            + "Host: www.example.com\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n"
            + "Accept-Language: en-US,en;q=0.5\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Referer: https://www.example.com/\r\n"
            + "Connection: keep-alive\r\n"
            + "Cookie: session=7f3c2a9b1e4d8f6a; theme=dark; _ga=GA1.2.1234567890.1700000000; consent=yes\r\n"
            + "Upgrade-Insecure-Requests: 1\r\n"
            + "Sec-Fetch-Dest: document\r\n"
            + "Sec-Fetch-Mode: navigate\r\n"
            + "Sec-Fetch-Site: same-origin\r\n"
            + "Priority: u=0, i\r\n\r\n";

    static final String CHUNKED_POST = "POST /upload/batch HTTP/1.1\r\n"
            + "Host: api.example.com\r\n"
            + "User-Agent: okhttp/4.12.0\r\n"
            + "Content-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\n"
            + "Accept: application/json\r\n\r\n"
            + "41\r\n" + "{\"items\":[{\"id\":1,\"name\":\"alpha\"},{\"id\":2,\"name\":\"beta\"},{\"id\":3}" + "\r\n"
            + "20\r\n" + ",{\"id\":4,\"name\":\"delta\"}],\"n\":4}\r\n"
            + "0\r\n"
            + "X-Checksum: 5d41402a\r\n\r\n";

    static final String RESPONSE = "HTTP/1.1 200 OK\r\n"
            + "Date: Thu, 26 Nov 2026 03:00:00 GMT\r\n"
            + "Content-Type: application/json; charset=utf-8\r\n"
            + "Content-Length: 17\r\n"
            + "Connection: keep-alive\r\n"
            + "Cache-Control: private, max-age=0, must-revalidate\r\n"
            + "ETag: W/\"11-YjgzOTFkNGQ\"\r\n"
            + "Vary: Accept-Encoding\r\n"
            + "Server: nginx/1.24.0\r\n"
            + "Strict-Transport-Security: max-age=31536000; includeSubDomains\r\n"
            + "X-Content-Type-Options: nosniff\r\n"
            + "X-Request-Id: 4bf92f3577b34da6a3ce929d0e0e4736\r\n\r\n"
            + "{\"status\":\"ok\"}\r\n";

    private Messages() {}

    static String of(String shape) {
        return switch (shape) {
            case "apiGet" -> API_GET;
            case "browserGet" -> BROWSER_GET;
            case "chunkedPost" -> CHUNKED_POST;
            case "response" -> RESPONSE;
            default ->
                throw new IllegalArgumentException(
                        "shape: " + shape + " (expected: apiGet, browserGet, chunkedPost or response)");
        };
    }
}
