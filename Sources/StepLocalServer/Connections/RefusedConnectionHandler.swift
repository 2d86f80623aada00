import NIOCore
import StepLocalJSON

/// Answers a connection beyond the cap with AWS's `ServiceUnavailable` (HTTP 503, which SDKs
/// retry with back-off) and closes it. It waits for the request's first bytes before answering,
/// then half-closes and drains until the client hangs up (or 2 s pass), so the answer is not lost
/// to a reset from unread request bytes.
final class RefusedConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    static let lingerTime = TimeAmount.seconds(2)
    private let maximumConnections: Int
    private var answered = false
    private var closer: Scheduled<Void>?

    init(maximumConnections: Int) {
        self.maximumConnections = maximumConnections
    }

    static func response(maximumConnections: Int) -> String {
        let body = JSONValue.object([
            "__type": "ServiceUnavailable",
            "message": .string("StepLocal is serving its maximum of \(maximumConnections) connections (--max-connections); retry later"),
        ]).serialized()
        return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: \(body.utf8.count)\r\n"
            + "Connection: close\r\n\r\n" + body
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        closer = context.eventLoop.scheduleTask(in: Self.lingerTime) { loopBound.value.close(promise: nil) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !answered else { return }  // drain
        answered = true
        let answer = context.channel.allocator.buffer(string: Self.response(maximumConnections: maximumConnections))
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(answer)).whenComplete { _ in
            loopBound.value.close(mode: .output, promise: nil)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        closer?.cancel()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension RefusedConnectionHandler: Sendable {}
