// MediaGen ASP.NET Core sample: submits an Apiframe job with a webhook and completes the waiting request from the
// webhook delivery (no status polling until the 60-second watchdog).
//   dotnet run --project samples/MediaGen.Samples.WebhookReceiver
//   curl -X POST http://127.0.0.1:5080/generate -H 'Content-Type: application/json' -d '{"prompt":"a lighthouse at dusk"}'
//   curl -X POST http://127.0.0.1:5080/generate -H 'Content-Type: application/json' -d '{"prompt":"a lighthouse","provider":"replicate"}'
// Without MediaGen:Apiframe:ApiKey it runs against the Apiframe emulator on 127.0.0.1. Replicate is used when
// MediaGen:Replicate:ApiKey and WebhookSigningSecret are set; its deliveries are verified at /webhooks/replicate.
using MediaGen.Samples.WebhookReceiver;

var builder = WebApplication.CreateBuilder(args);
await using var sandbox = await WebhookSample.StartEmulatorIfNoKeyAsync(builder.Configuration);
WebhookSample.AddServices(builder.Services, builder.Configuration);

var app = builder.Build();
app.MapWebhookSample(WebhookSample.CreateContext(app.Services, builder.Configuration));
await app.RunAsync();
