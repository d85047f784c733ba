/**
 * The engine contract every front end speaks: request arguments ({@link org.ddabridge.api.Args}), progress events, errors with stable ids ({@link org.ddabridge.api.ErrorId}, {@link org.ddabridge.api.EngineException}) and the JSON envelope. Imports nothing of the engine.
 */
package org.ddabridge.api;
