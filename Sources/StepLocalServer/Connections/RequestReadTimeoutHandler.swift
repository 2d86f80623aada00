import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request takes longer than `timeout` to arrive in full, from its
/// head to its end: a client trickling a body a byte at a time would otherwise keep its
/// connection (and the request's buffer) forever, since each byte resets the idle timer.
/// Answering is not timed: once a request is read the handler is out of the way.
///
/// A connection has at most one timer, not one per request: a request's head only notes its
/// deadline, and the timer, when it fires, closes the connection if the request being read is
/// past its deadline, waits for that request's deadline if it is not, and ends if none is being
/// read (the next head starts it again). Scheduling and cancelling a timer for every request
/// cost eight allocations of each request on a keep-alive connection (issue 16).
final class RequestReadTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let timeout: TimeAmount
    /// When the request being read must have arrived in full; nil between requests.
    private var readDeadline: NIODeadline?
    private var timer: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            let deadline = NIODeadline.now() + timeout
            readDeadline = deadline
            if timer == nil { startTimer(until: deadline, context: context) }
        case .body:
            break
        case .end:
            readDeadline = nil
        }
        context.fireChannelRead(data)
    }

    private func startTimer(until deadline: NIODeadline, context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: deadline) {
            let (handler, context) = loopBound.value
            handler.timer = nil
            guard let readDeadline = handler.readDeadline else { return }
            if readDeadline <= .now() {
                context.close(promise: nil)
            } else {
                handler.startTimer(until: readDeadline, context: context)
            }
        }
    }

    private func stopTimer() {
        timer?.cancel()
        timer = nil
        readDeadline = nil
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stopTimer()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopTimer()
        context.fireChannelInactive()
    }
}

@available(*, unavailable)
extension RequestReadTimeoutHandler: Sendable {}
