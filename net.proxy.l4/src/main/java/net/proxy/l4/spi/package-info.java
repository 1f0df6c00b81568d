/**
 * Service provider interface for custom L4 transports ("virtual streams").
 *
 * <pre>{@code
 * VirtualTransport pipe = PipeTransport.create();          // the in-process reference transport
 * Listener.builder(transport).endpoint(Endpoint.virtual(pipe, PipeTransport.address("origin")))
 *     .handler(stream -> ...).build().start();
 * connector.connect(Peer.builder(PipeTransport.address("origin")).transport(pipe).build());
 * }</pre>
 */
package net.proxy.l4.spi;
