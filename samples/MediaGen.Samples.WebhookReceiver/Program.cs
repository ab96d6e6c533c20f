// MediaGen ASP.NET Core sample: submits an Apiframe job with a webhook and completes the waiting request from the
// webhook delivery (no status polling until the 60-second watchdog).
//   dotnet run --project samples/MediaGen.Samples.WebhookReceiver
//   curl -X POST http://127.0.0.1:5080/generate -H 'Content-Type: application/json' -d '{"prompt":"a lighthouse at dusk"}'
//   curl -X POST http://127.0.0.1:5080/generate -H 'Content-Type: application/json' -d '{"prompt":"a lighthouse","provider":"replicate"}'
// Without MediaGen:Apiframe:ApiKey it runs against the Apiframe emulator on 127.0.0.1. Replicate is used when
// MediaGen:Replicate:ApiKey and WebhookSigningSecret are set; its deliveries are verified at /webhooks/replicate.
//
// Fleet mode (several instances sharing one PostgreSQL; see docs/fleet.md, "Two webhook receivers on one PostgreSQL"):
//   --store URL        MediaGen:Store: a postgresql://user@host:port/db URL or an Npgsql connection string (or MEDIAGEN_STORE)
//   --instance NAME    Sample:Instance: this instance's name (in answers, logs and lease owner ids)
//   --port N           Sample:Port: listen on http://127.0.0.1:N
//   --public-url URL   Sample:PublicBaseUrl: where the vendor delivers webhooks (a load balancer, or another instance)
//   --emulator-only    serve only the Apiframe emulator (on --emulator-port N, Sample:EmulatorPort) for the instances to share
// A delivery reaching any instance is recorded in PostgreSQL and ends the wait on whichever instance waits (LISTEN/NOTIFY).
using MediaGen.Samples.WebhookReceiver;

// A flag without a value: taken out before the configuration reads "--key value" pairs.
var emulatorOnly = args.Contains("--emulator-only");
args = [.. args.Where(a => a != "--emulator-only")];
var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddCommandLine(args, new Dictionary<string, string>
{
    ["--store"] = "MediaGen:Store",
    ["--instance"] = "Sample:Instance",
    ["--port"] = "Sample:Port",
    ["--public-url"] = "Sample:PublicBaseUrl",
    ["--emulator-port"] = "Sample:EmulatorPort",
});
if (emulatorOnly)
{
    // One Apiframe emulator for a fleet of instances: they get its address as MediaGen:Apiframe:BaseAddress.
    await using var shared = await WebhookSample.StartEmulatorAsync(WebhookSample.EmulatorPort(builder.Configuration));
    Console.WriteLine($"Apiframe emulator at {shared.BaseAddress} (API key {MediaGen.Testing.Emulators.Apiframe.ApiframeEmulatorOptions.DefaultApiKey}); Ctrl+C stops it.");
    var stopped = new TaskCompletionSource();
    using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, c => { c.Cancel = true; stopped.TrySetResult(); });
    using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stopped.TrySetResult(); });
    await stopped.Task;
    return;
}

if (builder.Configuration["Sample:Port"] is { Length: > 0 } port)
{
    builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
}

await using var sandbox = await WebhookSample.StartEmulatorIfNoKeyAsync(builder.Configuration);
WebhookSample.AddServices(builder.Services, builder.Configuration);

var app = builder.Build();
await using var fleet = await WebhookSample.OpenFleetAsync(builder.Configuration, cancellationToken: app.Lifetime.ApplicationStopping);
var context = WebhookSample.CreateContext(app.Services, builder.Configuration, fleet);
// Fleet mode: renew this instance's leases, and finish (poll, never resubmit) the jobs of an instance that died mid-wait.
fleet?.StartTakeover(context.Apiframe, new MediaGen.WaitOptions { Updates = fleet.Hub, WatchdogInterval = context.WatchdogInterval });
app.MapWebhookSample(context);
await app.RunAsync();
