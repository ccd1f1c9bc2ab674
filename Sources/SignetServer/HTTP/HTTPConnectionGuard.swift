import Hummingbird
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import SignetCore

/// A channel handler on every HTTP/1.1 connection that bounds how long a request may take to
/// arrive and answers what the HTTP parser refuses in the API's JSON error shape.
///
/// - A request whose body has not fully arrived `requestTimeout` after its head, or whose body
///   stalls (nothing arrives for the idle timeout), is answered `408 request-timeout` (if
///   nothing was answered yet) and its connection closed, so a client that trickles or stops
///   sending a body cannot hold a connection. The stall answer comes a moment before the
///   server's idle timeout would close the connection without one. Silent connections and slow
///   heads are closed by the idle timeout, which no partial head resets.
/// - A parser error between requests (an oversize request line or header, a bad
///   `Content-Length`, bytes that are not HTTP) is answered `400 malformed-request` and the
///   connection closed. A parser error inside a body (malformed chunked encoding) is passed to
///   the route reading the body, whose error answer (``APIError``) is the same.
///
/// Either answer ends in a lingering close: the server half-closes its side, then reads and
/// discards whatever the client still sends for up to `lingerTime` before closing. Closing at
/// once with unread bytes in the socket would send a TCP reset, which makes the client's kernel
/// drop the answer it has not read yet, so a client still trickling would never see its 408.
final class HTTPConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private static let lingerTime: TimeAmount = .seconds(2)
    /// How long before the idle timeout a stalled body is answered: the idle timer runs on the
    /// same event loop, and tasks run in deadline order.
    private static let stallMargin: TimeAmount = .milliseconds(50)

    private let requestTimeout: TimeAmount
    private let stallTimeout: TimeAmount
    private var readingRequest = false
    private var responding = false
    /// Responses the application owes: request heads read minus response ends written.
    private var owed = 0
    private var lingering = false
    private var closeWhenAnswered = false
    private var headArrived = NIODeadline.now()
    private var lastPartArrived = NIODeadline.now()
    private var deadline: Scheduled<Void>?

    init(requestTimeout: TimeAmount, idleTimeout: TimeAmount) {
        self.requestTimeout = requestTimeout
        self.stallTimeout = max(idleTimeout - Self.stallMargin, .milliseconds(1))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !lingering else { return }
        switch unwrapInboundIn(data) {
        case .head:
            readingRequest = true
            owed += 1
            headArrived = .now()
            lastPartArrived = headArrived
            scheduleDeadline(context: context)
        case .body:
            lastPartArrived = .now()
        case .end:
            readingRequest = false
            deadline?.cancel()
            deadline = nil
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head: responding = true
        case .body: break
        case .end:
            responding = false
            owed = max(0, owed - 1)
            if closeWhenAnswered && owed == 0 {
                // The last response owed before a parser error is out: close as an answer would.
                let written = context.eventLoop.makePromise(of: Void.self)
                written.futureResult.cascade(to: promise)
                context.write(data, promise: written)
                linger(context: context, after: written.futureResult)
                return
            }
        }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard !lingering else { return }
        guard let parserError = error as? HTTPParserError, !readingRequest else {
            context.fireErrorCaught(error)
            return
        }
        answer(APIError(parserError), context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }

    /// Schedules the check for the earlier of the request's deadline and its body's stall.
    private func scheduleDeadline(context: ChannelHandlerContext) {
        deadline?.cancel()
        let loopBound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        let due = min(headArrived + requestTimeout, lastPartArrived + stallTimeout)
        deadline = context.eventLoop.scheduleTask(deadline: due) {
            let (handler, context) = loopBound.value
            handler.deadline = nil
            handler.checkDeadline(context: context)
        }
    }

    /// Answers 408 if the request is late or its body stalled; else checks again when one may be.
    private func checkDeadline(context: ChannelHandlerContext) {
        guard readingRequest else { return }
        let now = NIODeadline.now()
        if now >= headArrived + requestTimeout {
            let seconds = requestTimeout.nanoseconds / 1_000_000_000
            answer(
                APIError(.requestTimeout, "request-timeout", "expected the request body within \(seconds) s of its head, found it still arriving"),
                context: context)
        } else if now >= lastPartArrived + stallTimeout {
            let milliseconds = (now - lastPartArrived).nanoseconds / 1_000_000
            answer(APIError(.requestTimeout, "request-timeout", "expected more of the request body, found none for \(milliseconds) ms"), context: context)
        } else {
            scheduleDeadline(context: context)
        }
    }

    /// Answers `error`, then closes the connection (lingering), if the connection owes no other
    /// response: none outstanding but, while a request is being read, that request's, and none
    /// begun. A request the application already answered (early, before its body ended) gets
    /// no second answer; a parser error behind requests still owed closes once they are
    /// answered; a response under way is cut off by the close.
    private func answer(_ error: APIError, context: ChannelHandlerContext) {
        let mayAnswer = !responding && owed == (readingRequest ? 1 : 0)
        let beingRead = readingRequest
        readingRequest = false
        guard mayAnswer else {
            if responding {
                context.close(promise: nil)
            } else if !beingRead && owed > 0 {
                lingering = true
                closeWhenAnswered = true
            } else {
                // Answered early, its body still arriving: the answer may still be in the
                // write buffer, so no half-close; drain, then close.
                lingering = true
                linger(context: context, after: nil)
            }
            return
        }
        let response = error.response
        var head = HTTPResponse(status: response.status, headerFields: response.headers)
        head.headerFields[.connection] = "close"
        head.headerFields[.cacheControl] = "no-store"
        let body = error.body
        head.headerFields[.contentLength] = String(body.count)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(ByteBuffer(bytes: body))), promise: nil)
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
        lingering = true
        linger(context: context, after: written.futureResult)
    }

    /// Half-closes once `written` (if any) completes, and closes `lingerTime` from now even
    /// if the answer cannot be written (a client that reads nothing).
    private func linger(context: ChannelHandlerContext, after written: EventLoopFuture<Void>?) {
        let channel = context.channel
        context.flush()
        written?.whenComplete { _ in channel.close(mode: .output, promise: nil) }
        channel.eventLoop.scheduleTask(in: Self.lingerTime) { channel.close(promise: nil) }
    }
}
