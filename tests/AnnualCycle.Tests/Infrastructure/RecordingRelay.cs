using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AnnualCycle.Tests.Infrastructure;

/// <summary>
/// A TCP relay on a free loopback port in front of a real server: passes every byte both ways unchanged and keeps what
/// the clients sent, so a test can see how far a conversation got before the server answered (e.g. that a message's
/// content reached the server while its end of data was still held back).
/// </summary>
public sealed class RecordingRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly StringBuilder _sent = new();
    private readonly List<Task> _pumps = [];
    private readonly Task _accepting;

    public RecordingRelay(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public string Host => "127.0.0.1";

    public int Port { get; }

    /// <summary>Everything the clients sent so far, over all connections, as Latin-1 text.</summary>
    public string Sent
    {
        get
        {
            lock (_sent)
            {
                return _sent.ToString();
            }
        }
    }

    /// <summary>Waits until the clients have sent <paramref name="text"/> (true), or gives up after <paramref name="timeout"/> (false).</summary>
    public async Task<bool> WaitForSentAsync(string text, TimeSpan timeout)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!Sent.Contains(text, StringComparison.Ordinal))
        {
            if (waited.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            client.NoDelay = true;
            await server.ConnectAsync(_targetHost, _targetPort);
            lock (_pumps)
            {
                _pumps.Add(PumpAsync(client, server, record: true));
                _pumps.Add(PumpAsync(server, client, record: false));
            }
        }
    }

    /// <summary>Copies until either side closes, then closes both (a client that drops mid-DATA drops the server's side too).</summary>
    private async Task PumpAsync(Socket from, Socket to, bool record)
    {
        var buffer = new byte[16384];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    break;
                }

                if (record)
                {
                    lock (_sent)
                    {
                        _sent.Append(Encoding.Latin1.GetString(buffer, 0, read));
                    }
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // one side went away
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] pumps;
        lock (_pumps)
        {
            pumps = [.. _pumps];
        }

        await Task.WhenAll(pumps);
        _stop.Dispose();
    }
}
