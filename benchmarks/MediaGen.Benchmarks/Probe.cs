using MediaGen.Benchmarks.Infrastructure;

namespace MediaGen.Benchmarks;

internal static class Probe
{
    public static async Task RunAsync()
    {
        await using var emulators = await BenchEmulators.StartAsync();
        using var clients = new MediaGenClients(emulators.Endpoints, InstantTimeProvider.Instance);
        foreach (var vendor in Enum.GetValues<Vendor>())
        {
            var job = (await clients.For(vendor).GenerateAsync(MediaGenClients.DirectRequest(vendor), new WaitOptions { TimeProvider = InstantTimeProvider.Instance })).GetValueOrThrow();
            Console.WriteLine($"{vendor}: {job.Status} {job.Outputs.Count} outputs");
            var routed = (await clients.Router.GenerateAsync(MediaGenClients.RoutedRequest(vendor), new WaitOptions { TimeProvider = InstantTimeProvider.Instance })).GetValueOrThrow();
            Console.WriteLine($"{vendor} routed: {routed.Status} {routed.Handle}");
        }

        foreach (var host in emulators.Hosts)
        {
            foreach (var r in host.Requests)
            {
                Console.WriteLine($"{r.Method} {r.Path}{r.Query} {string.Join("; ", r.Headers.Select(h => h.Key + "=" + h.Value))}\n   {r.Body}");
            }
        }
    }
}
