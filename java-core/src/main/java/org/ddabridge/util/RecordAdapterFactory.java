package org.ddabridge.util;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.Gson;
import com.google.gson.TypeAdapter;
import com.google.gson.TypeAdapterFactory;
import com.google.gson.annotations.JsonAdapter;
import com.google.gson.internal.bind.ReflectiveTypeAdapterFactory;
import com.google.gson.internal.bind.SerializationDelegatingTypeAdapter;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;

/**
 * Writes records as Gson's own reflective adapter does (component names, declaration order, each value through
 * Gson's adapter for its declared type, the runtime type where Gson would take it), reading each component
 * from its field instead of calling its accessor.
 *
 * <p>Why: Gson calls record accessors through {@code Method.invoke}, and the JDK turns every accessor called
 * more than a few times into a generated class: some forty classes spun in a cold one-shot survey, none of which
 * a class-data sharing archive can keep. A field read goes through the JDK's ready-made field accessors.
 * Records whose components carry Gson annotations, generic records and records with {@code @JsonAdapter} are
 * left to Gson, and reading JSON back into a record always is (it is rare and off the start path).
 * A record whose accessor returns something else than its field would be written differently: none does
 * (RecordAdapterFactoryTest checks every record of the engine for an accessor of its own).
 */
public final class RecordAdapterFactory implements TypeAdapterFactory {
    /** The JSON name and field of one component. */
    private record Component(String name, Field field, Type type) {
    }

    @Override
    public <T> TypeAdapter<T> create(Gson gson, TypeToken<T> type) {
        Class<? super T> raw = type.getRawType();
        if (!raw.isRecord() || raw.getTypeParameters().length > 0 || raw.isAnnotationPresent(JsonAdapter.class)) {
            return null;
        }
        RecordComponent[] parts = raw.getRecordComponents();
        List<Component> components = new ArrayList<>(parts.length);
        for (RecordComponent part : parts) {
            Field f;
            try {
                f = raw.getDeclaredField(part.getName());
            } catch (NoSuchFieldException e) {
                return null;
            }
            if (Modifier.isTransient(f.getModifiers()) || f.getDeclaredAnnotations().length > 0
                    || part.getDeclaredAnnotations().length > 0 || !f.trySetAccessible()) {
                return null;   // Gson's naming, exclusion or adapter annotations: Gson decides
            }
            components.add(new Component(part.getName(), f, f.getGenericType()));
        }
        return new Adapter<>(gson, this, type, components);
    }

    private static final class Adapter<T> extends TypeAdapter<T> {
        private final Gson gson;
        private final TypeAdapterFactory skip;
        private final TypeToken<T> type;
        private final Component[] components;
        private final TypeAdapter<?>[] declared;
        private TypeAdapter<T> reader;

        Adapter(Gson gson, TypeAdapterFactory skip, TypeToken<T> type, List<Component> components) {
            this.gson = gson;
            this.skip = skip;
            this.type = type;
            this.components = components.toArray(new Component[0]);
            this.declared = new TypeAdapter<?>[this.components.length];
        }

        @Override
        public void write(JsonWriter out, T value) throws IOException {
            if (value == null) {
                out.nullValue();
                return;
            }
            out.beginObject();
            for (int i = 0; i < components.length; i++) {
                Component c = components[i];
                Object v = valueOf(c.field(), value);
                if (v == value) {
                    continue;   // Gson leaves out a field that refers to its own object
                }
                out.name(c.name());
                adapterFor(i, v).write(out, v);
            }
            out.endObject();
        }

        /** Gson's choice between the declared type's adapter and the value's runtime type's (its runtime wrapper). */
        @SuppressWarnings("unchecked")
        private TypeAdapter<Object> adapterFor(int i, Object v) {
            if (declared[i] == null) {
                declared[i] = gson.getAdapter(TypeToken.get(components[i].type()));
            }
            TypeAdapter<Object> chosen = (TypeAdapter<Object>) declared[i];
            Type t = components[i].type();
            if (v != null && (t instanceof Class<?> || t instanceof TypeVariable<?>) && v.getClass() != t) {
                TypeAdapter<Object> runtime = (TypeAdapter<Object>) gson.getAdapter(v.getClass());
                if (!reflective(runtime) || reflective(unwrapped(chosen))) {
                    chosen = runtime;
                }
            }
            return chosen;
        }

        @Override
        public T read(JsonReader in) throws IOException {
            if (reader == null) {
                reader = gson.getDelegateAdapter(skip, type);
            }
            return reader.read(in);
        }
    }

    /** What Gson's runtime wrapper counts as reflective (its field-by-field adapters, and these). */
    private static boolean reflective(TypeAdapter<?> a) {
        return a instanceof Adapter || a instanceof ReflectiveTypeAdapterFactory.Adapter;
    }

    /** The adapter a delegating adapter (Gson's own wrappers) writes through, as Gson's runtime wrapper unwraps it. */
    private static TypeAdapter<?> unwrapped(TypeAdapter<?> a) {
        while (a instanceof SerializationDelegatingTypeAdapter<?> d && d.getSerializationDelegate() != a) {
            a = d.getSerializationDelegate();
        }
        return a;
    }

    /** The value of one component of {@code record}, read from its field. */
    public static Object valueOf(Field field, Object record) {
        try {
            return field.get(record);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + field.getName() + " of " + record.getClass().getName(), e);
        }
    }

    /** The fields of {@code type}'s components in their order, readable (for writers that stream a record themselves). */
    public static Field[] componentFields(Class<? extends Record> type) {
        RecordComponent[] parts = type.getRecordComponents();
        Field[] fields = new Field[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                fields[i] = type.getDeclaredField(parts[i].getName());
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException("record " + type.getName() + " has no field " + parts[i].getName(), e);
            }
            fields[i].setAccessible(true);
        }
        return fields;
    }
}
