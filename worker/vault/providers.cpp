#include "worker/vault/providers.hpp"

#include <array>
#include <cctype>

namespace ve::vault {

namespace {

constexpr Auth bearer() {
  return {AuthKind::bearer, "", "", "", ""};
}
constexpr Auth header(std::string_view name, std::string_view prefix = "") {
  return {AuthKind::header, name, prefix, "", ""};
}
constexpr Auth basic(std::string_view username = "") {
  return {AuthKind::basic, "", "", "", username};
}
constexpr Auth query(std::string_view param) {
  return {AuthKind::query, "", "", param, ""};
}

constexpr std::array kAnthropicHeaders = {StaticHeader{"anthropic-version", "2023-06-01"}};
constexpr std::array kNotionHeaders = {StaticHeader{"notion-version", "2022-06-28"}};
constexpr std::array kGithubHeaders = {StaticHeader{"accept", "application/vnd.github+json"}};

constexpr std::array<std::string_view, 2> kGoogleAiAliases = {"gemini", "google"};
constexpr std::array<std::string_view, 1> kTogetherAliases = {"togetherai"};
constexpr std::array<std::string_view, 1> kXaiAliases = {"grok"};
constexpr std::array<std::string_view, 1> kHuggingFaceAliases = {"hf"};
constexpr std::array<std::string_view, 1> kLemonAliases = {"lemon-squeezy"};

constexpr Category llm = Category::llm;
constexpr Category service = Category::service;
constexpr Category oauth = Category::oauth;

// clang-format off
constexpr std::array kCatalog = {
  // ---- LLM APIs ----
  Provider{"openai", "OpenAI", llm, "https://api.openai.com", bearer(), "OPENAI_API_KEY"},
  Provider{"anthropic", "Anthropic", llm, "https://api.anthropic.com", header("x-api-key"),
           "ANTHROPIC_API_KEY", kAnthropicHeaders},
  Provider{"google-ai", "Google AI (Gemini)", llm, "https://generativelanguage.googleapis.com",
           header("x-goog-api-key"), "GEMINI_API_KEY", {}, std::nullopt, kGoogleAiAliases},
  Provider{"groq", "Groq", llm, "https://api.groq.com/openai", bearer(), "GROQ_API_KEY"},
  Provider{"mistral", "Mistral AI", llm, "https://api.mistral.ai", bearer(), "MISTRAL_API_KEY"},
  Provider{"cohere", "Cohere", llm, "https://api.cohere.com", bearer(), "COHERE_API_KEY"},
  Provider{"perplexity", "Perplexity", llm, "https://api.perplexity.ai", bearer(),
           "PERPLEXITY_API_KEY"},
  Provider{"together", "Together AI", llm, "https://api.together.xyz", bearer(),
           "TOGETHER_API_KEY", {}, std::nullopt, kTogetherAliases},
  Provider{"deepseek", "DeepSeek", llm, "https://api.deepseek.com", bearer(), "DEEPSEEK_API_KEY"},
  Provider{"xai", "xAI (Grok)", llm, "https://api.x.ai", bearer(), "XAI_API_KEY", {},
           std::nullopt, kXaiAliases},
  Provider{"openrouter", "OpenRouter", llm, "https://openrouter.ai/api", bearer(),
           "OPENROUTER_API_KEY"},
  Provider{"fireworks", "Fireworks AI", llm, "https://api.fireworks.ai/inference", bearer(),
           "FIREWORKS_API_KEY"},
  Provider{"replicate", "Replicate", llm, "https://api.replicate.com", bearer(),
           "REPLICATE_API_TOKEN"},
  Provider{"huggingface", "Hugging Face", llm, "https://router.huggingface.co", bearer(),
           "HF_TOKEN", {}, std::nullopt, kHuggingFaceAliases},
  Provider{"cerebras", "Cerebras", llm, "https://api.cerebras.ai", bearer(), "CEREBRAS_API_KEY"},
  Provider{"voyage", "Voyage AI", llm, "https://api.voyageai.com", bearer(), "VOYAGE_API_KEY"},
  Provider{"elevenlabs", "ElevenLabs", llm, "https://api.elevenlabs.io", header("xi-api-key"),
           "ELEVENLABS_API_KEY"},
  // ---- Service APIs ----
  Provider{"stripe", "Stripe", service, "https://api.stripe.com", bearer(), "STRIPE_SECRET_KEY"},
  Provider{"lemonsqueezy", "Lemon Squeezy", service, "https://api.lemonsqueezy.com", bearer(),
           "LEMONSQUEEZY_API_KEY", {}, std::nullopt, kLemonAliases},
  Provider{"twilio", "Twilio", service, "https://api.twilio.com", basic(),
           "TWILIO_AUTH_TOKEN"},
  Provider{"sendgrid", "SendGrid", service, "https://api.sendgrid.com", bearer(),
           "SENDGRID_API_KEY"},
  Provider{"resend", "Resend", service, "https://api.resend.com", bearer(), "RESEND_API_KEY"},
  Provider{"postmark", "Postmark", service, "https://api.postmarkapp.com",
           header("x-postmark-server-token"), "POSTMARK_SERVER_TOKEN"},
  Provider{"mailgun", "Mailgun", service, "https://api.mailgun.net", basic("api"),
           "MAILGUN_API_KEY"},
  Provider{"github", "GitHub", service, "https://api.github.com", bearer(), "GITHUB_TOKEN",
           kGithubHeaders},
  Provider{"gitlab", "GitLab", service, "https://gitlab.com/api/v4", header("private-token"),
           "GITLAB_TOKEN"},
  Provider{"cloudflare", "Cloudflare", service, "https://api.cloudflare.com/client/v4", bearer(),
           "CLOUDFLARE_API_TOKEN"},
  Provider{"vercel", "Vercel", service, "https://api.vercel.com", bearer(), "VERCEL_TOKEN"},
  Provider{"supabase", "Supabase", service, "https://api.supabase.com", bearer(),
           "SUPABASE_ACCESS_TOKEN"},
  Provider{"upstash", "Upstash", service, "", bearer(), "UPSTASH_REDIS_REST_TOKEN"},
  Provider{"clerk", "Clerk", service, "https://api.clerk.com", bearer(), "CLERK_SECRET_KEY"},
  Provider{"sentry", "Sentry", service, "https://sentry.io/api", bearer(), "SENTRY_AUTH_TOKEN"},
  Provider{"posthog", "PostHog", service, "https://us.posthog.com", bearer(),
           "POSTHOG_PERSONAL_API_KEY"},
  Provider{"cloudinary", "Cloudinary", service, "https://api.cloudinary.com", basic(),
           "CLOUDINARY_API_SECRET"},
  Provider{"mux", "Mux", service, "https://api.mux.com", basic(), "MUX_TOKEN_SECRET"},
  Provider{"slack", "Slack", service, "https://slack.com/api", bearer(), "SLACK_BOT_TOKEN"},
  Provider{"discord", "Discord", service, "https://discord.com/api", header("authorization", "Bot "),
           "DISCORD_BOT_TOKEN"},
  Provider{"notion", "Notion", service, "https://api.notion.com", bearer(), "NOTION_API_KEY",
           kNotionHeaders},
  Provider{"linear", "Linear", service, "https://api.linear.app", header("authorization"),
           "LINEAR_API_KEY"},
  Provider{"airtable", "Airtable", service, "https://api.airtable.com", bearer(),
           "AIRTABLE_API_KEY"},
  Provider{"pinecone", "Pinecone", service, "https://api.pinecone.io", header("api-key"),
           "PINECONE_API_KEY"},
  Provider{"datadog", "Datadog", service, "https://api.datadoghq.com", header("dd-api-key"),
           "DD_API_KEY"},
  // Google APIs take the key as the X-Goog-Api-Key header as well as ?key=: a
  // header stays out of URLs, which end up in traces and logs (docs/proxy.md).
  Provider{"google-maps", "Google Maps Platform", service, "https://maps.googleapis.com",
           header("x-goog-api-key"), "GOOGLE_MAPS_API_KEY"},
  // These two accept the key only in the query string (docs/proxy.md
  // "Keys in the query string" says what that exposes).
  Provider{"openweathermap", "OpenWeather", service, "https://api.openweathermap.org",
           query("appid"), "OPENWEATHER_API_KEY"},
  Provider{"serpapi", "SerpApi", service, "https://serpapi.com", query("api_key"),
           "SERPAPI_API_KEY"},
  // ---- OAuth client credentials ----
  Provider{"google-oauth", "Google OAuth", oauth, "https://www.googleapis.com", bearer(),
           "GOOGLE_OAUTH", {},
           OAuthEndpoints{"https://accounts.google.com/o/oauth2/v2/auth",
                          "https://oauth2.googleapis.com/token"}},
  Provider{"github-oauth", "GitHub OAuth", oauth, "https://api.github.com", bearer(),
           "GITHUB_OAUTH", kGithubHeaders,
           OAuthEndpoints{"https://github.com/login/oauth/authorize",
                          "https://github.com/login/oauth/access_token"}},
  Provider{"slack-oauth", "Slack OAuth", oauth, "https://slack.com/api", bearer(), "SLACK_OAUTH",
           {},
           OAuthEndpoints{"https://slack.com/oauth/v2/authorize",
                          "https://slack.com/api/oauth.v2.access"}},
  Provider{"microsoft-oauth", "Microsoft OAuth", oauth, "https://graph.microsoft.com", bearer(),
           "MICROSOFT_OAUTH", {},
           OAuthEndpoints{"https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
                          "https://login.microsoftonline.com/common/oauth2/v2.0/token"}},
  Provider{"discord-oauth", "Discord OAuth", oauth, "https://discord.com/api", bearer(),
           "DISCORD_OAUTH", {},
           OAuthEndpoints{"https://discord.com/oauth2/authorize",
                          "https://discord.com/api/oauth2/token"}},
  Provider{"gitlab-oauth", "GitLab OAuth", oauth, "https://gitlab.com/api/v4", bearer(),
           "GITLAB_OAUTH", {},
           OAuthEndpoints{"https://gitlab.com/oauth/authorize", "https://gitlab.com/oauth/token"}},
  Provider{"spotify-oauth", "Spotify OAuth", oauth, "https://api.spotify.com", bearer(),
           "SPOTIFY_OAUTH", {},
           OAuthEndpoints{"https://accounts.spotify.com/authorize",
                          "https://accounts.spotify.com/api/token"}},
  Provider{"notion-oauth", "Notion OAuth", oauth, "https://api.notion.com", bearer(),
           "NOTION_OAUTH", kNotionHeaders,
           OAuthEndpoints{"https://api.notion.com/v1/oauth/authorize",
                          "https://api.notion.com/v1/oauth/token"}},
  Provider{"x-oauth", "X (Twitter) OAuth", oauth, "https://api.x.com", bearer(), "X_OAUTH", {},
           OAuthEndpoints{"https://x.com/i/oauth2/authorize", "https://api.x.com/2/oauth2/token"}},
  Provider{"linkedin-oauth", "LinkedIn OAuth", oauth, "https://api.linkedin.com", bearer(),
           "LINKEDIN_OAUTH", {},
           OAuthEndpoints{"https://www.linkedin.com/oauth/v2/authorization",
                          "https://www.linkedin.com/oauth/v2/accessToken"}},
  Provider{"dropbox-oauth", "Dropbox OAuth", oauth, "https://api.dropboxapi.com", bearer(),
           "DROPBOX_OAUTH", {},
           OAuthEndpoints{"https://www.dropbox.com/oauth2/authorize",
                          "https://api.dropboxapi.com/oauth2/token"}},
  Provider{"zoom-oauth", "Zoom OAuth", oauth, "https://api.zoom.us", bearer(), "ZOOM_OAUTH", {},
           OAuthEndpoints{"https://zoom.us/oauth/authorize", "https://zoom.us/oauth/token"}},
  // ---- anything else ----
  Provider{"custom", "Custom HTTPS API", service, "", bearer(), ""},
};
// clang-format on

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

boost::json::value nullable(std::string_view s) {
  if (s.empty()) return nullptr;
  return boost::json::string(s);
}

}  // namespace

std::string_view category_name(Category c) {
  switch (c) {
    case Category::llm:
      return "llm";
    case Category::service:
      return "service";
    case Category::oauth:
      return "oauth";
  }
  return "service";
}

std::span<const Provider> catalog() {
  return kCatalog;
}

const Provider* find_provider(std::string_view id) {
  for (const auto& p : kCatalog) {
    if (iequal(p.id, id)) return &p;
    for (auto alias : p.aliases) {
      if (iequal(alias, id)) return &p;
    }
  }
  return nullptr;
}

const Provider& custom_provider() {
  return kCatalog.back();
}

std::string_view auth_header_type(const Auth& auth) {
  switch (auth.kind) {
    case AuthKind::bearer:
      return "bearer";
    case AuthKind::basic:
      return "basic";
    case AuthKind::query:
      return "query";
    case AuthKind::header:
      return auth.header == "x-api-key" && auth.prefix.empty() ? "x-api-key" : "custom";
  }
  return "bearer";
}

bool is_auth_header_type(std::string_view type) {
  return type == "bearer" || type == "x-api-key" || type == "basic" || type == "query" ||
         type == "custom";
}

std::optional<Auth> resolve_auth(std::string_view provider_id,
                                 std::optional<std::string_view> type) {
  const Provider* p = find_provider(provider_id);
  if (p == nullptr) return std::nullopt;
  if (p->id != "custom") return p->auth;
  // The CLI's names for a custom API. `custom` has no way to name a header, so
  // it means a raw `Authorization: <value>` (the value carries its own scheme).
  const std::string_view t = type.value_or("bearer");
  if (t == "bearer") return bearer();
  if (t == "x-api-key") return header("x-api-key");
  if (t == "basic") return basic();
  if (t == "query") return query("api_key");
  if (t == "custom") return header("authorization");
  return std::nullopt;
}

boost::json::object provider_json(const Provider& p) {
  boost::json::object o;
  o["id"] = p.id;
  o["name"] = p.name;
  o["category"] = category_name(p.category);
  o["base_url"] = nullable(p.base_url);
  o["auth_header_type"] = auth_header_type(p.auth);
  boost::json::object auth;
  switch (p.auth.kind) {
    case AuthKind::bearer:
      auth["type"] = "bearer";
      auth["header"] = "authorization";
      auth["prefix"] = "Bearer ";
      break;
    case AuthKind::header:
      auth["type"] = "header";
      auth["header"] = p.auth.header;
      auth["prefix"] = p.auth.prefix;
      break;
    case AuthKind::basic:
      auth["type"] = "basic";
      auth["username"] = nullable(p.auth.username);
      break;
    case AuthKind::query:
      auth["type"] = "query";
      auth["param"] = p.auth.param;
      break;
  }
  o["auth"] = std::move(auth);
  if (!p.headers.empty()) {
    boost::json::object h;
    for (const auto& sh : p.headers) h[sh.name] = sh.value;
    o["headers"] = std::move(h);
  }
  o["credential_type"] = p.category == Category::oauth ? "oauth2" : "api_key";
  o["env_name"] = nullable(p.env_name);
  if (p.oauth) {
    o["authorize_url"] = p.oauth->authorize_url;
    o["token_url"] = p.oauth->token_url;
  }
  if (!p.aliases.empty()) {
    boost::json::array a;
    for (auto alias : p.aliases) a.emplace_back(alias);
    o["aliases"] = std::move(a);
  }
  return o;
}

boost::json::object catalog_json() {
  boost::json::array list;
  for (const auto& p : kCatalog) list.emplace_back(provider_json(p));
  boost::json::object custom;
  custom["provider"] = "custom";
  custom["base_url"] = "required for proxy use: an https:// URL (vault-only without it)";
  custom["auth_header_type"] = "bearer | x-api-key | basic | query | custom";
  custom["example"] =
      "apilocker store --name MY_API_KEY --provider custom --key <value> "
      "--base-url https://api.example.com --auth-type bearer";
  return {{"providers", std::move(list)}, {"custom", std::move(custom)}};
}

std::string unknown_provider_message(std::string_view id) {
  return "unknown provider '" + std::string(id.substr(0, 64)) +
         "': see GET /v1/providers for the catalog, or store it with provider 'custom' "
         "and a base_url (https://...) plus auth_header_type (bearer, x-api-key, basic, "
         "query or custom)";
}

}  // namespace ve::vault
