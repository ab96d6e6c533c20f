using System.Text.Json;
using System.Text.Json.Serialization;

namespace MediaGen.Serialization;

/// <summary>Source-generated JSON metadata for MediaGen's public serializable types (trim- and AOT-safe).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JobHandle))]
internal sealed partial class MediaGenJsonContext : JsonSerializerContext;
