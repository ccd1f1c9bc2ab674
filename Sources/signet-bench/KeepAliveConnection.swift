import NIOCore
import NIOHTTP1
import NIOPosix
import SignetClient

/// One HTTP/1.1 connection to one server, kept alive and used for one request at a time: the
/// load generator's transport. Each worker of `signet-bench sign` owns one, so the client side
/// of a flow costs its signatures and a write and a read per request, not a connection pool's
/// bookkeeping (with AsyncHTTPClient the load generator took more CPU per flow than the
/// server's non-cryptographic work).
final class KeepAliveConnection: HTTPTransport {
    private let channel: any Channel
    private let collector: NIOLoopBound<AnswerCollector>
    private let host: String

    /// Connects to `host:port` on `group`.
    static func connect(host: String, port: Int, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> KeepAliveConnection {
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(AnswerCollector())
                }
            }
            .connect(host: host, port: port).get()
        let collector = try await channel.eventLoop.submit {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: AnswerCollector.self), eventLoop: channel.eventLoop)
        }.get()
        return KeepAliveConnection(channel: channel, collector: collector, host: "\(host):\(port)")
    }

    private init(channel: any Channel, collector: NIOLoopBound<AnswerCollector>, host: String) {
        self.channel = channel
        self.collector = collector
        self.host = host
    }

    func send(
        _ method: HTTPMethod, url: String, headers: [(name: String, value: String)], body: [UInt8]?,
        timeout: TimeAmount, maxAnswerBytes: Int
    ) async throws -> (status: UInt, body: [UInt8]) {
        guard let path = Self.path(of: url) else {
            throw KeepAliveConnectionError(reason: "expected an http:// URL of the connected server, found \(url)")
        }
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
        head.headers.add(name: "Host", value: host)
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        if let body { head.headers.add(name: "Content-Length", value: String(body.count)) }
        let loop = channel.eventLoop
        let answer = loop.makePromise(of: (status: UInt, body: [UInt8]).self)
        let channel = channel
        let collector = collector
        let payload = body
        let request = head
        loop.execute {
            collector.value.expect(answer, maxBytes: maxAnswerBytes)
            channel.write(HTTPClientRequestPart.head(request), promise: nil)
            if let payload { channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: payload))), promise: nil) }
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        }
        let timer = loop.scheduleTask(in: timeout) {
            // A late answer must not be read as the next request's.
            answer.fail(KeepAliveConnectionError(reason: "no answer within \(timeout)"))
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        return try await answer.futureResult.get()
    }

    func close() async {
        try? await channel.close()
    }

    /// The path and query of an `http://host[:port]/…` URL.
    private static func path(of url: String) -> String? {
        guard url.hasPrefix("http://") else { return nil }
        let rest = url.dropFirst("http://".count)
        guard let slash = rest.firstIndex(of: "/") else { return "/" }
        return String(rest[slash...])
    }
}

struct KeepAliveConnectionError: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}

/// Collects one response at a time into the promise of the request that awaits it.
private final class AnswerCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private var promise: EventLoopPromise<(status: UInt, body: [UInt8])>?
    private var isClosed = false
    private var maxBytes = 0
    private var status: UInt = 0
    private var body: [UInt8] = []

    func expect(_ promise: EventLoopPromise<(status: UInt, body: [UInt8])>, maxBytes: Int) {
        guard !isClosed else {
            promise.fail(KeepAliveConnectionError(reason: "the connection is closed"))
            return
        }
        self.promise = promise
        self.maxBytes = maxBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = head.status.code
            body.removeAll(keepingCapacity: true)
        case .body(let part):
            guard body.count + part.readableBytes <= maxBytes else {
                fail(SigningError(.badResponse, "the answer exceeds \(maxBytes) bytes"), context: context)
                return
            }
            body.append(contentsOf: part.readableBytesView)
        case .end:
            promise?.succeed((status, body))
            promise = nil
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error, context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        isClosed = true
        promise?.fail(KeepAliveConnectionError(reason: "the server closed the connection"))
        promise = nil
    }

    private func fail(_ error: any Error, context: ChannelHandlerContext) {
        promise?.fail(error)
        promise = nil
        context.close(promise: nil)
    }
}
