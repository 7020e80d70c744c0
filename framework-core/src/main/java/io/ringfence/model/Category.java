package io.ringfence.model;

/** Policy categories, declared in evaluation order: every Emergency rule comes before any Infrastructure rule. */
public enum Category {
    EMERGENCY,
    INFRASTRUCTURE,
    ENVIRONMENT,
    APPLICATION
}
