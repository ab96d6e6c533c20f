using System.Globalization;
using System.Text.Json.Nodes;

namespace MediaGen.Testing.Emulators.MeiGen;

/// <summary>
/// One model the emulator serves, written from the MeiGen docs. Prices the docs give are the docs' numbers; prices the
/// docs leave out are sandbox values of this emulator (marked below), published through <c>GET /api/models</c> like the
/// real service publishes its own.
/// </summary>
internal sealed record MeiGenEmulatedModel
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required bool IsVideo { get; init; }

    public required string[] Ratios { get; init; }

    public required int MaxReferenceImages { get; init; }

    public required string[] Resolutions { get; init; }

    public required string DefaultResolution { get; init; }

    public string[] Tiers { get; init; } = [];

    public string? DefaultTier { get; init; }

    public Dictionary<string, string[]>? TierResolutions { get; init; }

    public int[]? Durations { get; init; }

    public int? DefaultDuration { get; init; }

    public bool DurationIsRange { get; init; }

    public string[] Qualities { get; init; } = [];

    public bool SupportsReferenceVideo { get; init; }

    public bool IsMidjourney { get; init; }

    public bool IsLegacy { get; init; }

    public bool Listed { get; init; } = true;

    public decimal? Flat { get; init; }

    public decimal DisplayCredits { get; init; }

    public Dictionary<string, Dictionary<string, decimal>>? PerSecond { get; init; }

    public Dictionary<string, decimal>? PerSecondNoTier { get; init; }

    public Dictionary<string, Dictionary<string, decimal>>? PerSecondWithVideo { get; init; }

    public Dictionary<int, int>? MinBillable { get; init; }

    public Dictionary<string, Dictionary<int, decimal>>? PerCall { get; init; }

    public int ExpectedWaitSeconds { get; init; } = 30;

    public static IReadOnlyList<MeiGenEmulatedModel> All { get; } = Build();

    public static MeiGenEmulatedModel? Find(string id) => All.FirstOrDefault(m => string.Equals(m.Id, id, StringComparison.Ordinal));

    public JsonObject ToModelsJson()
    {
        var extra = new JsonObject
        {
            ["resolutions"] = Array(Resolutions),
            ["defaultResolution"] = DefaultResolution,
        };
        if (Qualities.Length > 0)
        {
            extra["qualities"] = Array(Qualities);
        }

        if (Tiers.Length > 0)
        {
            extra["tiers"] = Array(Tiers);
            extra["defaultTier"] = DefaultTier;
        }

        if (TierResolutions is not null)
        {
            extra["tierResolutions"] = new JsonObject(TierResolutions.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Array(p.Value))));
        }

        if (Durations is not null)
        {
            extra["durations"] = new JsonArray([.. Durations.Select(d => (JsonNode)d)]);
            extra["defaultDuration"] = DefaultDuration;
        }

        if (PerSecond is not null)
        {
            extra["pricingPerSec"] = Nested(PerSecond);
        }

        if (PerSecondNoTier is not null)
        {
            extra["pricingPerSec"] = new JsonObject(PerSecondNoTier.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
        }

        if (PerSecondWithVideo is not null)
        {
            extra["pricingPerSecWithVideo"] = Nested(PerSecondWithVideo);
            extra["supportsReferenceVideo"] = true;
        }

        if (MinBillable is not null)
        {
            extra["minBillableTable"] = new JsonObject(MinBillable.Select(p => KeyValuePair.Create(p.Key.ToString(CultureInfo.InvariantCulture), (JsonNode?)p.Value)));
        }

        if (PerCall is not null)
        {
            extra["pricingPerCall"] = new JsonObject(PerCall.Select(t => KeyValuePair.Create(
                t.Key,
                (JsonNode?)new JsonObject(t.Value.Select(p => KeyValuePair.Create(p.Key.ToString(CultureInfo.InvariantCulture), (JsonNode?)p.Value))))));
        }

        var json = new JsonObject
        {
            ["id"] = Id,
            ["name"] = Name,
            ["provider"] = IsVideo ? "video" : "image",
            ["description"] = Name + " (MediaGen emulator)",
            ["credits_per_generation"] = DisplayCredits,
            ["supports_4k"] = Resolutions.Contains("4K"),
            ["supported_ratios"] = Array(Ratios),
            ["max_reference_images"] = MaxReferenceImages,
            ["media_type"] = IsVideo ? "video" : "image",
            ["api_provider"] = "emulator",
            ["request_transform"] = null,
            ["extra_config"] = extra,
        };
        if (IsVideo)
        {
            var duration = DurationIsRange
                ? new JsonObject { ["kind"] = "range", ["min"] = Durations!.Min(), ["max"] = Durations!.Max(), ["step"] = 1, ["default"] = DefaultDuration }
                : new JsonObject { ["kind"] = "enum", ["values"] = new JsonArray([.. Durations!.Select(d => (JsonNode)d)]), ["default"] = DefaultDuration };
            json["capabilities"] = new JsonObject
            {
                ["video"] = new JsonObject
                {
                    ["valid"] = true,
                    ["outputDuration"] = duration,
                    ["referenceVideo"] = new JsonObject { ["enabled"] = SupportsReferenceVideo, ["minSeconds"] = 2, ["maxSeconds"] = 15 },
                    ["billing"] = new JsonObject
                    {
                        ["mode"] = PerCall is null ? "per_second" : "per_call",
                        ["requestDefaultSeconds"] = DefaultDuration,
                        ["referenceSeconds"] = SupportsReferenceVideo ? "reference_plus_output_with_minimum_table" : "output_only",
                    },
                },
            };
        }

        return json;
    }

    private static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    private static JsonObject Nested(Dictionary<string, Dictionary<string, decimal>> table) =>
        new(table.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)new JsonObject(t.Value.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))))));

    private static List<MeiGenEmulatedModel> Build()
    {
        string[] common = ["1:1", "3:4", "4:3", "16:9", "9:16", "21:9", "5:4", "4:5"];
        string[] imageResolutions = ["1K", "2K", "3K", "4K"];
        string[] videoRatios = ["16:9", "9:16", "1:1", "4:3", "3:4", "21:9"];
        string[] videoResolutions = ["480p", "720p", "1080p"];

        MeiGenEmulatedModel Image(string id, string name, decimal credits, int maxRefs) => new()
        {
            Id = id,
            Name = name,
            IsVideo = false,
            Ratios = common,
            MaxReferenceImages = maxRefs,
            Resolutions = imageResolutions,
            DefaultResolution = "2K",
            Flat = credits,
            DisplayCredits = credits,
            ExpectedWaitSeconds = 30,
        };

        MeiGenEmulatedModel Midjourney(string id, string name, bool legacy) => Image(id, name, 15, 1) with
        {
            IsMidjourney = true,
            IsLegacy = legacy,
            Listed = !legacy,
            ExpectedWaitSeconds = 90,
        };

        return
        [
            Image("gpt-image-2", "GPT Image 2.0", 10, 5) with { Qualities = ["low", "medium", "high"], DefaultResolution = "1K" }, // 10: sandbox value (MeiGen's MCP: "default 1K (10 credits)")
            Image("gemini-3-pro-image-preview", "Nanobanana Pro", 10, 5), // docs
            Image("nanobanana-2", "Nanobanana 2", 5, 5) with { Ratios = ["1:1", "3:4", "4:5", "2:3", "9:16", "4:3", "5:4", "3:2", "16:9", "21:9"] }, // docs
            Image("seedream-5.0-lite", "Seedream 5.0 Lite", 5, 5) with { Ratios = ["1:1", "3:4", "4:3", "16:9", "9:16", "3:2", "2:3"], Resolutions = ["2K", "3K"] }, // docs
            Image("seedream-4.5", "Seedream 4.5", 5, 5), // docs
            Midjourney("midjourney-v8.1", "Midjourney V8.1", legacy: false), // 15: sandbox value (V7's documented price)
            Midjourney("midjourney-v7", "Midjourney V7", legacy: true), // docs (accepted, not listed)
            Midjourney("midjourney-niji7", "Niji 7", legacy: true), // docs (rev1; accepted, not listed)
            Image("flux2-klein", "FLUX.2 Klein", 4, 5), // 4: sandbox value
            Image("z-image-turbo", "Z Image Turbo", 2, 0), // docs
            Image("rhart-1.5", "GPT image 1.5 (retired)", 2, 5) with { Listed = false },
            new()
            {
                Id = "seedance-2-0",
                Name = "Seedance 2.0",
                IsVideo = true,
                Ratios = videoRatios,
                MaxReferenceImages = 5,
                Resolutions = videoResolutions,
                DefaultResolution = "720p",
                // rev2: "fast (default) or pro" — nothing else (the third-party MCP mirror's 'mini' is not MeiGen's word).
                Tiers = ["fast", "pro"],
                DefaultTier = "fast",
                Durations = [.. Enumerable.Range(4, 12)],
                DurationIsRange = true,
                DefaultDuration = 5,
                SupportsReferenceVideo = true,
                DisplayCredits = 60,

                // fast/720p = 26 is the docs' (rev1 example); the other cells are sandbox values.
                PerSecond = new()
                {
                    ["fast"] = new() { ["480p"] = 14, ["720p"] = 26, ["1080p"] = 40 },
                    ["pro"] = new() { ["480p"] = 24, ["720p"] = 40, ["1080p"] = 60 },
                },

                // fast 8/14/14 are the docs' (rev2); pro is a sandbox value.
                PerSecondWithVideo = new()
                {
                    ["fast"] = new() { ["480p"] = 8, ["720p"] = 14, ["1080p"] = 14 },
                    ["pro"] = new() { ["480p"] = 12, ["720p"] = 22, ["1080p"] = 30 },
                },

                // 5 s → 9 is the docs' (rev1 example); the rest follow it (duration + 4) as sandbox values.
                MinBillable = Enumerable.Range(4, 12).ToDictionary(d => d, d => d + 4),
                ExpectedWaitSeconds = 180,
            },
            new()
            {
                Id = "happyhorse-1.0",
                Name = "Happyhorse 1.0",
                IsVideo = true,
                Ratios = videoRatios,
                MaxReferenceImages = 1,
                Resolutions = videoResolutions,
                DefaultResolution = "720p",
                Durations = [.. Enumerable.Range(3, 13)],
                DurationIsRange = true,
                DefaultDuration = 5,
                DisplayCredits = 50,
                PerSecondNoTier = new() { ["480p"] = 10, ["720p"] = 18, ["1080p"] = 30 }, // sandbox values
                ExpectedWaitSeconds = 180,
            },
            new()
            {
                Id = "veo-3.1",
                Name = "Veo 3.1",
                IsVideo = true,
                Ratios = ["16:9", "9:16"],
                MaxReferenceImages = 5,
                Resolutions = videoResolutions,
                DefaultResolution = "720p",
                Tiers = ["fast", "pro"],
                DefaultTier = "fast",
                Durations = [4, 6, 8],
                DefaultDuration = 4,
                DisplayCredits = 20,
                PerCall = new()
                {
                    // fast 8 s = 20 is the docs' (the overview's "Veo 3.1 = 20", priced when rev1 served one fixed 8 s
                    // clip, before rev2's tiers; fast is rev2's default tier). Every other cell is a sandbox value.
                    ["fast"] = new() { [4] = 12, [6] = 16, [8] = 20 },
                    ["pro"] = new() { [4] = 24, [6] = 32, [8] = 40 },
                },
                ExpectedWaitSeconds = 360,
            },
        ];
    }
}
