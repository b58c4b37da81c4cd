using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AnnualCycle.Cli.Bench;

/// <summary>
/// A tiny SMTP server that accepts every message and throws it away, for measuring a sender rather than a server
/// (aiosmtpd, ~450 messages/s, is the limit of any sender; Postfix's <c>smtp-sink</c> plays this role where installed).
/// It speaks just enough ESMTP for MailKit: EHLO with PIPELINING and 8BITMIME, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
/// Replies are written as the commands are read and flushed only when no more input is waiting, so a pipelined
/// envelope gets its replies in one packet. Loopback only.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private static readonly byte[] Greeting = "220 sink ESMTP\r\n"u8.ToArray();
    private static readonly byte[] Ehlo = "250-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 104857600\r\n"u8.ToArray();
    private static readonly byte[] Ok = "250 OK\r\n"u8.ToArray();
    private static readonly byte[] StartData = "354 End data with <CR><LF>.<CR><LF>\r\n"u8.ToArray();
    private static readonly byte[] Bye = "221 Bye\r\n"u8.ToArray();
    private static readonly byte[] Unknown = "502 Command not implemented\r\n"u8.ToArray();

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly List<Task> _connections = [];
    private long _messages;
    private int _connectionCount;

    public SmtpSink()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(512);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Messages accepted (250 after DATA).</summary>
    public long Messages => Interlocked.Read(ref _messages);

    public int Connections => Volatile.Read(ref _connectionCount);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            socket.NoDelay = true;
            Interlocked.Increment(ref _connectionCount);
            lock (_connections)
            {
                _connections.Add(Task.Run(() => ServeAsync(socket)));
            }
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        var input = new byte[64 * 1024];
        var output = new MemoryStream();
        int start = 0, end = 0;
        var inData = false;
        try
        {
            await stream.WriteAsync(Greeting, _stop.Token);
            while (true)
            {
                // Answer every complete line already read; flush before waiting for more.
                int newline;
                while ((newline = Array.IndexOf(input, (byte)'\n', start, end - start)) >= 0)
                {
                    var length = newline - start + 1;
                    if (inData)
                    {
                        if (length == 3 && input[start] == (byte)'.' && input[start + 1] == (byte)'\r')
                        {
                            inData = false;
                            Interlocked.Increment(ref _messages);
                            output.Write(Ok);
                        }
                    }
                    else
                    {
                        var command = length >= 4 ? Encoding.ASCII.GetString(input, start, 4).ToUpperInvariant() : "";
                        switch (command)
                        {
                            case "EHLO":
                                output.Write(Ehlo);
                                break;
                            case "DATA":
                                inData = true;
                                output.Write(StartData);
                                break;
                            case "QUIT":
                                output.Write(Bye);
                                await stream.WriteAsync(output.GetBuffer().AsMemory(0, (int)output.Length), _stop.Token);
                                return;
                            case "HELO" or "MAIL" or "RCPT" or "RSET" or "NOOP":
                                output.Write(Ok);
                                break;
                            default:
                                output.Write(Unknown);
                                break;
                        }
                    }

                    start = newline + 1;
                }

                if (output.Length > 0)
                {
                    await stream.WriteAsync(output.GetBuffer().AsMemory(0, (int)output.Length), _stop.Token);
                    output.SetLength(0);
                }

                // Keep the partial line; make room.
                if (start > 0)
                {
                    Buffer.BlockCopy(input, start, input, 0, end - start);
                    end -= start;
                    start = 0;
                }

                if (end == input.Length)
                {
                    Array.Resize(ref input, input.Length * 2); // a line longer than the buffer (never in practice)
                }

                var read = await stream.ReadAsync(input.AsMemory(end), _stop.Token);
                if (read == 0)
                {
                    return;
                }

                end += read;
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, or the sink is stopping.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] open;
        lock (_connections)
        {
            open = [.. _connections];
        }

        await Task.WhenAll(open);
        _stop.Dispose();
    }
}
