using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace MediaGen.Cli.Tests;

/// <summary>
/// Every curl example in the vendors' docs (shared/vendor-docs), run as written against <c>mediagen sandbox</c> with only
/// the host changed to the sandbox's loopback address, gets the documented answer. The examples are quoted here with
/// their file and line; when the docs folder is reachable, a test checks the quotes still match it, example for example.
/// </summary>
/// <remarks>
/// Apiframe's doc (jobs-api-image-generation.txt) has no curl example, nor has Replicate's reference page
/// (replicate-http-api.md: its only "curl" is the SDK's download of the OpenAPI document, not an API call).
/// </remarks>
public class SandboxCurlExampleTests
{
    private static readonly Dictionary<string, string> Hosts = new(StringComparer.Ordinal)
    {
        ["https://www.meigen.ai"] = "meigen",
        ["https://veogen.studio"] = "veogen",
    };

    public static TheoryData<string> Examples => [.. CurlExample.All.Select(e => e.Source)];

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Sandbox_VendorDocCurlExample_GetsTheDocumentedAnswer(string source)
    {
        CurlExample example = CurlExample.All.Single(e => e.Source == source);
        await using var sandbox = await Sandbox.StartAsync(0, CancellationToken.None);

        var (status, body) = await RunAsync(example.Command, sandbox.Host.BaseAddress);

        Assert.True(status == example.ExpectedStatus, $"{source}: expected {example.ExpectedStatus}, got {status}: {body}");
        using var json = JsonDocument.Parse(body);
        example.Check(json.RootElement);
    }

    [Fact]
    public void Examples_QuotedHere_AreEveryCurlExampleInTheVendorDocsVerbatim()
    {
        string? docs = FindVendorDocs();
        if (docs is null)
        {
            return; // shared/ is not beside this checkout (it is for developers and CI); the quotes stand on their own.
        }

        var found = new List<string>();
        foreach (string file in new[] { "meigen-overview.txt", "meigen-generate-v2.rev1.txt", "meigen-generate-v2.rev2.txt", "veogen-create-generation.txt", "jobs-api-image-generation.txt", "replicate-http-api.md" })
        {
            string[] lines = File.ReadAllLines(Path.Combine(docs, file));
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].TrimStart().StartsWith("curl ", StringComparison.Ordinal))
                {
                    found.Add($"{file}:{i + 1}");
                }
            }

            foreach (CurlExample example in CurlExample.All.Where(e => e.Source.StartsWith(file + ":", StringComparison.Ordinal)))
            {
                int line = int.Parse(example.Source[(file.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                string[] quoted = example.Command.Split('\n');
                Assert.Equal(string.Join('\n', quoted), string.Join('\n', lines.Skip(line - 1).Take(quoted.Length)));
            }
        }

        Assert.Equal(found, CurlExample.All.Select(e => e.Source));
    }

    private static async Task<(int Status, string Body)> RunAsync(string command, Uri sandbox)
    {
        List<string> args = ShellWords(command);
        Assert.Equal("curl", args[0]);
        args.RemoveAt(0);
        string loopback = sandbox.GetLeftPart(UriPartial.Authority);
        int urls = 0;
        for (int i = 0; i < args.Count; i++)
        {
            foreach (var (vendorHost, _) in Hosts)
            {
                if (args[i].StartsWith(vendorHost + "/", StringComparison.Ordinal))
                {
                    args[i] = loopback + args[i][vendorHost.Length..];
                    urls++;
                }
            }
        }

        Assert.Equal(1, urls);
        return CurlPath() is { } curl ? await RunCurlAsync(curl, args) : await SendAsync(args);
    }

    /// <summary>Runs the real curl with the example's own arguments (no shell), adding only output options.</summary>
    private static async Task<(int Status, string Body)> RunCurlAsync(string curl, List<string> args)
    {
        var start = new ProcessStartInfo(curl) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])["--silent", "--show-error", "--max-time", "30", "--write-out", "\n%{http_code}", .. args])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        string output = await process.StandardOutput.ReadToEndAsync();
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"curl exited {process.ExitCode}: {error}");
        int split = output.LastIndexOf('\n');
        return (int.Parse(output[(split + 1)..], System.Globalization.CultureInfo.InvariantCulture), output[..split]);
    }

    /// <summary>What curl would send, sent with HttpClient (where curl is not installed).</summary>
    private static async Task<(int Status, string Body)> SendAsync(List<string> args)
    {
        string method = "GET";
        string? url = null;
        string? data = null;
        var headers = new List<(string Name, string Value)>();
        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "-X" or "--request": method = args[++i]; break;
                case "--url": url = args[++i]; break;
                case "-H" or "--header":
                    string[] header = args[++i].Split(':', 2);
                    headers.Add((header[0].Trim(), header[1].Trim()));
                    break;
                case "-d" or "--data": data = args[++i]; method = method == "GET" ? "POST" : method; break;
                default: url = args[i]; break;
            }
        }

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (data is not null)
        {
            request.Content = new StringContent(data, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        }

        foreach (var (name, value) in headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value) && request.Content is not null)
            {
                request.Content.Headers.Remove(name);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Splits a POSIX shell command line as sh does for these examples: quotes, and backslash-newline continuations.</summary>
    private static List<string> ShellWords(string command)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        for (int i = 0; i < command.Length; i++)
        {
            char c = command[i];
            if (c == '\\' && i + 1 < command.Length)
            {
                if (command[i + 1] != '\n')
                {
                    word.Append(command[i + 1]);
                    inWord = true;
                }

                i++;
            }
            else if (c == '\'')
            {
                int end = command.IndexOf('\'', i + 1);
                word.Append(command, i + 1, end - i - 1);
                inWord = true;
                i = end;
            }
            else if (c == '"')
            {
                for (i++; command[i] != '"'; i++)
                {
                    if (command[i] == '\\' && command[i + 1] is '"' or '\\' or '$' or '`')
                    {
                        i++;
                    }

                    word.Append(command[i]);
                }

                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    private static string? CurlPath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "curl"))
            .FirstOrDefault(File.Exists);

    private static string? FindVendorDocs()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "vendor-docs");
            if (File.Exists(Path.Combine(candidate, "meigen-overview.txt")))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>A curl example quoted from a vendor doc, and the answer the doc gives for it.</summary>
    private sealed record CurlExample(string Source, string Command, int ExpectedStatus, Action<JsonElement> Check)
    {
        public static IReadOnlyList<CurlExample> All { get; } =
        [
            // meigen-overview.txt "Request Format".
            new("meigen-overview.txt:22", """
                curl -X POST https://www.meigen.ai/api/generate/v2 \
                  -H "Authorization: Bearer meigen_sk_YOUR_API_KEY" \
                  -H "Content-Type: application/json" \
                  -d '{"prompt": "a minimalist logo", "modelId": "gemini-3-pro-image-preview"}'
                """, 200, MeiGenSubmitted("gemini-3-pro-image-preview")),

            // meigen-generate-v2.rev1.txt "Examples": Basic generation.
            new("meigen-generate-v2.rev1.txt:168", """
                curl -X POST https://www.meigen.ai/api/generate/v2 \
                  -H "Authorization: Bearer meigen_sk_YOUR_API_KEY" \
                  -H "Content-Type: application/json" \
                  -d '{
                    "prompt": "A minimalist logo of a mountain, vector style, blue gradient",
                    "modelId": "nanobanana-2",
                    "aspectRatio": "1:1"
                  }'
                """, 200, MeiGenSubmitted("nanobanana-2")),

            // With reference image.
            new("meigen-generate-v2.rev1.txt:179", """
                curl -X POST https://www.meigen.ai/api/generate/v2 \
                  -H "Authorization: Bearer meigen_sk_YOUR_API_KEY" \
                  -H "Content-Type: application/json" \
                  -d '{
                    "prompt": "Similar style landscape but with autumn colors",
                    "modelId": "seedream-5.0-lite",
                    "aspectRatio": "16:9",
                    "referenceImages": ["https://example.com/reference.jpg"]
                  }'
                """, 200, MeiGenSubmitted("seedream-5.0-lite")),

            // Niji 7 with style reference.
            new("meigen-generate-v2.rev1.txt:191", """
                curl -X POST https://www.meigen.ai/api/generate/v2 \
                  -H "Authorization: Bearer meigen_sk_YOUR_API_KEY" \
                  -H "Content-Type: application/json" \
                  -d '{
                    "prompt": "a warrior princess in an enchanted forest",
                    "modelId": "midjourney-niji7",
                    "aspectRatio": "3:4",
                    "referenceImages": ["https://example.com/style-ref.jpg"],
                    "referenceType": "style",
                    "niji7Options": {
                      "stylize": 300,
                      "sw": 500,
                      "sv": 4
                    }
                  }'
                """, 200, MeiGenSubmitted("midjourney-niji7")),

            // Seedance video (text-to-video): "720p × 5 sec = 26 × 5 = 130 credits".
            new("meigen-generate-v2.rev1.txt:209", """
                curl -X POST https://www.meigen.ai/api/generate/v2 \
                  -H "Authorization: Bearer meigen_sk_YOUR_API_KEY" \
                  -H "Content-Type: application/json" \
                  -d '{
                    "prompt": "A majestic eagle soaring over a misty mountain valley at sunrise, cinematic camera movement",
                    "modelId": "seedance-2-0",
                    "aspectRatio": "16:9",
                    "resolution": "720p",
                    "duration": 5
                  }'
                """, 200, MeiGenSubmitted("seedance-2-0")),

            // Seedance video continuation (with reference video): "total 72 credits".
            new("meigen-generate-v2.rev1.txt:223", """
                curl -X POST https://www.meigen.ai/api/generate/v2 \
                  -H "Authorization: Bearer meigen_sk_YOUR_API_KEY" \
                  -H "Content-Type: application/json" \
                  -d '{
                    "prompt": "Continue the scene as the eagle dives toward a river below",
                    "modelId": "seedance-2-0",
                    "aspectRatio": "adaptive",
                    "resolution": "480p",
                    "duration": 5,
                    "referenceVideo": "https://images.meigen.art/generations/eagle-clip.mp4",
                    "referenceVideoDuration": 3
                  }'
                """, 200, MeiGenSubmitted("seedance-2-0")),

            // Auto ratio selection.
            new("meigen-generate-v2.rev1.txt:240", """
                curl -X POST https://www.meigen.ai/api/generate/v2 \
                  -H "Authorization: Bearer meigen_sk_YOUR_API_KEY" \
                  -H "Content-Type: application/json" \
                  -d '{
                    "prompt": "Blog hero banner image, abstract gradient background with code snippets",
                    "modelId": "nanobanana-2"
                  }'
                """, 200, MeiGenSubmitted("nanobanana-2")),

            // veogen-create-generation.txt: the API reference's request template. It is a form, not an example: the
            // header's whole value and every field are placeholders. The documented header is "Bearer YOUR_TOKEN", so
            // "<authorization>" is no key; the sandbox answers as VeoGen answers a request without a bearer token.
            new("veogen-create-generation.txt:10", """
                curl --request POST \
                  --url https://veogen.studio/api/v1/generations \
                  --header 'Authorization: <authorization>' \
                  --header 'Content-Type: application/json' \
                  --data '
                {
                  "model": "<string>",
                  "prompt": "<string>",
                  "aspect_ratio": "<string>",
                  "resolution": "<string>",
                  "duration": 123,
                  "mode": "<string>",
                  "style": "<string>",
                  "image_urls": [
                    {}
                  ],
                  "video_urls": [
                    {}
                  ],
                  "audio_urls": [
                    {}
                  ],
                  "watermark": true,
                  "private": true
                }
                '
                """, 401, body => Assert.Equal(JsonValueKind.String, body.GetProperty("message").ValueKind)),

            // veogen-create-generation.txt "Examples": "Response 201 Created" with data and price_usd.
            new("veogen-create-generation.txt:144", """
                curl -X POST https://veogen.studio/api/v1/generations \
                  -H "Authorization: Bearer YOUR_TOKEN" \
                  -H "Content-Type: application/json" \
                  -d '{
                    "model": "gpt-4o-image",
                    "prompt": "A serene mountain landscape at sunset, photorealistic",
                    "aspect_ratio": "16:9"
                  }'
                """, 201, body =>
                {
                    JsonElement data = body.GetProperty("data");
                    foreach (string field in (string[])["id", "status", "model", "type", "prompt", "parameters", "output", "error", "created_at", "completed_at"])
                    {
                        Assert.True(data.TryGetProperty(field, out _), $"data.{field} is missing: {body}");
                    }

                    Assert.Equal("gpt-4o-image", data.GetProperty("model").GetString());
                    Assert.Equal("A serene mountain landscape at sunset, photorealistic", data.GetProperty("prompt").GetString());
                    Assert.Equal(JsonValueKind.Number, body.GetProperty("price_usd").ValueKind);
                }),
        ];

        /// <summary>The documented submit answer: success, generationId, status "processing", creditsUsed, modelId, credits.</summary>
        private static Action<JsonElement> MeiGenSubmitted(string modelId) => body =>
        {
            Assert.True(body.GetProperty("success").GetBoolean(), body.ToString());
            Assert.False(string.IsNullOrEmpty(body.GetProperty("generationId").GetString()));
            Assert.Equal("processing", body.GetProperty("status").GetString());
            Assert.Equal(JsonValueKind.Number, body.GetProperty("creditsUsed").ValueKind);
            Assert.Equal(modelId, body.GetProperty("modelId").GetString());
            JsonElement credits = body.GetProperty("credits");
            Assert.Equal(JsonValueKind.Number, credits.GetProperty("daily").ValueKind);
            Assert.Equal(JsonValueKind.Number, credits.GetProperty("purchased").ValueKind);
            Assert.True(credits.GetProperty("unlimited").ValueKind is JsonValueKind.True or JsonValueKind.False);
        };
    }
}
