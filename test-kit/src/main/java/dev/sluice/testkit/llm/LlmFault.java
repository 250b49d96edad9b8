package dev.sluice.testkit.llm;

/**
 * A fault {@link FakeLlmServer} can inject into a chat completion, as real OpenAI-compatible
 * endpoints produce them.
 */
public enum LlmFault {
    /** 429 with {@code Retry-After: 1}. */
    RATE_LIMIT,
    /** 500 with an error body. */
    SERVER_ERROR,
    /** No answer for {@code hangMs}, then 504: a client timeout fires first. */
    HANG,
    /** 200 with a body cut in the middle of its JSON. */
    MALFORMED,
    /** 200 with {@code "choices": []}. */
    EMPTY_CHOICES,
    /** 200 with half the answer and {@code finish_reason: "length"}. */
    TRUNCATED
}
