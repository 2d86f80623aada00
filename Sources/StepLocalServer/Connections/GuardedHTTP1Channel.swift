import Hummingbird
public import HummingbirdCore
import Logging
import NIOCore
import Synchronization

/// Hummingbird's HTTP/1.1 child channel behind StepLocal's ``ConnectionLimits``: the cap is
/// checked when a connection is accepted, before any HTTP handling is set up, and the time limits
/// are Hummingbird's idle timeout (which closes a connection sending headers too slowly, since no
/// request part reaches it) plus ``RequestReadTimeoutHandler`` for request bodies.
struct GuardedHTTP1Channel: ServerChildChannel {
    enum Value: ServerChildChannelValue {
        case served(HTTP1Channel.Value)
        case refused(any Channel)

        var channel: any Channel {
            switch self {
            case .served(let value): value.channel
            case .refused(let channel): channel
            }
        }
    }

    let http: HTTP1Channel
    let limits: ConnectionLimits
    let openConnections: OpenConnectionCount

    init(responder: @escaping HTTPChannelHandler.Responder, limits: ConnectionLimits, openConnections: OpenConnectionCount) {
        let timeout = TimeAmount(limits.idleTimeout)
        self.http = HTTP1Channel(
            responder: responder,
            configuration: .init(additionalChannelHandlers: [RequestReadTimeoutHandler(timeout: timeout)], idleTimeout: timeout))
        self.limits = limits
        self.openConnections = openConnections
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        if let served = openConnections.served.admit(upTo: limits.maximumConnections, closing: channel) {
            logger.trace("Connection accepted", metadata: ["open": "\(served)"])
            return http.setup(channel: channel, logger: logger).map { .served($0) }
        }
        logger.debug("Connection refused: at the connection cap", metadata: ["maximum": "\(limits.maximumConnections)"])
        guard openConnections.refusing.admit(upTo: ConnectionLimits.politeRefusals, closing: channel) != nil else {
            return channel.close().map { .refused(channel) }
        }
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(
                RefusedConnectionHandler(maximumConnections: limits.maximumConnections))
            return .refused(channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        guard case .served(let served) = value else { return }  // a refused connection closes itself
        await http.handle(value: served, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 behind StepLocal's connection cap and timeouts (``GuardedHTTP1Channel``); public
    /// so the request-path benchmark's ceiling (`steplocal-ceiling`) serves on exactly this channel.
    public static func guardedHTTP1(_ limits: ConnectionLimits) -> HTTPServerBuilder {
        let openConnections = OpenConnectionCount()
        return HTTPServerBuilder { responder in
            GuardedHTTP1Channel(responder: responder, limits: limits, openConnections: openConnections)
        }
    }
}

/// The connections open now: those served (held to the cap) and those being refused (answered
/// 503, then closed; bounded separately so a flood of refusals cannot use up the descriptors).
final class OpenConnectionCount: Sendable {
    let served = Counter()
    let refusing = Counter()

    /// One count, shared by every accepted connection's setup and close.
    final class Counter: Sendable {
        private let count = Atomic(0)

        /// Counts `channel` until it closes if fewer than `limit` are counted; returns the new
        /// count, or nil (counting nothing) when `limit` are already open.
        func admit(upTo limit: Int, closing channel: any Channel) -> Int? {
            let open = count.add(1, ordering: .relaxed).newValue
            guard open <= limit else {
                count.subtract(1, ordering: .relaxed)
                return nil
            }
            channel.closeFuture.whenComplete { [self] _ in count.subtract(1, ordering: .relaxed) }
            return open
        }
    }
}
