using System.Text.Json;
using System.Text.Json.Serialization;

namespace MediaGen.Ledger;

/// <summary>Source-generated JSON metadata for the ledger's lines (trim- and AOT-safe; no reflection).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LedgerEvent))]
internal sealed partial class LedgerJsonContext : JsonSerializerContext;
