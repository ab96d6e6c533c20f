using System.Drawing;
using System.Text.Json.Nodes;
using MediaGen.Testing;
using MediaGen.Testing.Emulators;
using MediaGen.VeoGen;
using Microsoft.Extensions.AI;

namespace MediaGen.Extensions.AI.Tests;

/// <summary>
/// The adapters over a real provider: VeoGen talking HTTP to its emulator on 127.0.0.1 (fake clock), wrapped as an MEAI
/// <see cref="IImageGenerator"/>, and that generator wrapped back as a MediaGen provider.
/// </summary>
public sealed class EmulatorRoundTripTests : IAsyncLifetime, IDisposable
{
    private const string Model = "nano-banana-2";
    private readonly FakeClock _time = new();
    private readonly HttpClient _http = new();
    private EmulatorHost _host = null!;
    private IMediaGenerator _veogen = null!;

    public async Task InitializeAsync()
    {
        _host = await EmulatorHost.StartAsync(new VeoGenEmulator(), new EmulatorHostOptions { TimeProvider = _time });
        _host.Jobs.Default = JobScript.CompleteAfterPolls(1);
        _veogen = VeoGenProvider.Create(
            new VeoGenOptions { ApiKey = VeoGenEmulator.DefaultApiKey, BaseAddress = new Uri(_host.BaseAddress, "api/v1/") },
            _http,
            _time);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose() => _http.Dispose();

    private IImageGenerator Images() =>
        _veogen.AsIImageGenerator(new MediaGenImageGeneratorOptions { DefaultModel = Model, Wait = new WaitOptions { TimeProvider = _time } });

    private JsonObject SubmittedBody() =>
        JsonNode.Parse(Assert.Single(_host.Requests, r => r.Method == "POST" && r.Path == "/api/v1/generations").Body)!.AsObject();

    [Fact]
    public async Task GenerateImagesAsync_ThroughTheEmulator_SendsThePromptAndSettingsAndReturnsTheImageAndCharge()
    {
        var images = Images();

        var response = await _time.DriveAsync(images.GenerateImagesAsync("a lighthouse at dusk", new ImageGenerationOptions
        {
            ImageSize = new Size(2048, 1152),
            AdditionalProperties = new() { ["mediagen.seed"] = 42 },
        }));

        // What the vendor received: the prompt, 2048×1152 as 16:9 at 2K, the model.
        var body = SubmittedBody();
        Assert.Equal("a lighthouse at dusk", (string?)body["prompt"]);
        Assert.Equal(Model, (string?)body["model"]);
        Assert.Equal("16:9", (string?)body["aspect_ratio"]);
        Assert.Equal("2K", (string?)body["resolution"]);

        // What came back: the emulator's PNG at its URL, with the vendor's media type and what it charged.
        var content = Assert.IsType<UriContent>(Assert.Single(response.Contents));
        Assert.Equal("image/png", content.MediaType);
        Assert.StartsWith(_host.BaseAddress.ToString(), content.Uri.ToString(), StringComparison.Ordinal);
        var bytes = await _http.GetByteArrayAsync(content.Uri);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);

        var job = response.GetGenerationJob()!;
        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        Assert.Equal(job.Handle.ToString(), content.AdditionalProperties![MediaGenAdditionalProperties.Job]);
        Assert.Equal(VeoGenProvider.Name, content.AdditionalProperties[MediaGenAdditionalProperties.Provider]);
        Assert.Equal(_host.Ledger.TotalCharged("USD"), content.AdditionalProperties[MediaGenAdditionalProperties.Charge]);
        Assert.Equal(0.12m, content.AdditionalProperties[MediaGenAdditionalProperties.Charge]); // $0.08 × 1.5 at 2K
        Assert.Equal("USD", content.AdditionalProperties[MediaGenAdditionalProperties.ChargeUnit]);
        // VeoGen has no seed: dropped by the provider and said so on the job, not lost silently.
        Assert.Contains(job.Translation!.Entries, e => e.Field == nameof(GenerationRequest.Seed) && e.Action == TranslationAction.Dropped);
    }

    [Fact]
    public async Task AsIMediaGenerator_OverTheEmulatorBackedGenerator_RoundTripsAJob()
    {
        var caps = (await _veogen.FindModelAsync(Model))!;
        var bridge = Images().AsIMediaGenerator("bridge", [caps], new ImageGeneratorProviderOptions { TimeProvider = _time });
        var request = new GenerationRequest(Model, "a red fox in snow")
        {
            AspectRatio = AspectRatio.Landscape16x9,
            Resolution = Resolution.OneK,
            IdempotencyKey = "fox-1",
        };

        var job = (await _time.DriveAsync(bridge.SubmitAsync(request))).GetValueOrThrow();

        // MediaGen → MEAI → MediaGen → the vendor's wire: the settings crossed both adapters.
        var body = SubmittedBody();
        Assert.Equal("a red fox in snow", (string?)body["prompt"]);
        Assert.Equal("16:9", (string?)body["aspect_ratio"]);
        Assert.Equal("1K", (string?)body["resolution"]);

        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        Assert.Equal("bridge", job.Handle.Provider);
        var output = Assert.Single(job.Outputs);
        Assert.Equal("image/png", output.ContentType);
        Assert.StartsWith(_host.BaseAddress.ToString(), output.Url.ToString(), StringComparison.Ordinal);
        var inner = Assert.IsType<ImageGenerationResponse>(job.RawRepresentation).GetGenerationJob()!;
        Assert.Equal(VeoGenProvider.Name, inner.Handle.Provider);
        Assert.Equal(Money.Usd(0.08m), inner.Charge);

        // The job is resumable by its handle, and the same idempotency key does not generate (or pay) again.
        var again = (await bridge.GetJobAsync(job.Handle)).GetValueOrThrow();
        Assert.Equal(job.Outputs, again.Outputs);
        var resubmitted = (await _time.DriveAsync(bridge.SubmitAsync(request.Clone()))).GetValueOrThrow();
        Assert.Equal(job.Handle, resubmitted.Handle);
        Assert.Equal(1, _host.Ledger.ChargedJobCount);
    }
}
