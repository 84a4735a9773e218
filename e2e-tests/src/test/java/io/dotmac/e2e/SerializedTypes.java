package io.dotmac.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * The types a service's compiled classes hand to a serializer as a plain {@code Object} (a response's
 * entity, an ObjectMapper's value) or ask one to make from a {@code Class}: Quarkus registers for
 * reflection only what a resource's or a REST client's signature names, so in a native image these
 * would be written as {@code {}} or fail, unless registered by hand. Read from the bytecode with
 * ASM's analyzer: for each call of such a method, the instructions that produced the argument, and
 * from them its static type (what {@code new} made, a method returned, a field or a local variable
 * was declared as, a class literal named).
 */
final class SerializedTypes {

    /**
     * The calls that serialize their {@code Object} arguments, or deserialize into their {@code Class} ones (a
     * {@code TypeReference} names a generic type, here only the JDK's collections, and is not followed).
     */
    private static final Map<String, Set<String>> SINKS = Map.of(
            "jakarta/ws/rs/core/Response", Set.of("ok", "accepted"),
            "jakarta/ws/rs/core/Response$ResponseBuilder", Set.of("entity"),
            "org/jboss/resteasy/reactive/RestResponse", Set.of("ok", "accepted"),
            "org/jboss/resteasy/reactive/RestResponse$ResponseBuilder", Set.of("ok", "accepted", "entity", "create"),
            "com/fasterxml/jackson/databind/ObjectMapper", Set.of("writeValueAsString", "writeValueAsBytes", "valueToTree",
                    "convertValue", "readValue", "treeToValue", "readerFor", "writeValue"),
            "com/fasterxml/jackson/databind/ObjectWriter", Set.of("writeValueAsString", "writeValueAsBytes", "writeValue"),
            "io/vertx/core/json/JsonObject", Set.of("mapFrom", "mapTo"),
            "io/vertx/core/json/Json", Set.of("encode", "decodeValue"));
    private static final String OBJECT = "Ljava/lang/Object;";
    /** A class named in a descriptor or a generic signature. */
    private static final Pattern NAMED_TYPE = Pattern.compile("L([\\w/$]+)[;<]");
    private static final String CLASS = "Ljava/lang/Class;";

    /** A serialized type and where: {@code io.dotmac.crm.quote.rest.QuoteResource.accept}. */
    record Use(String type, String where) {
    }

    private SerializedTypes() {
    }

    /**
     * Every use in the classes under these folders (a module's target/classes). A method that passes its
     * own parameter on to a serializer (a helper such as {@code JsonCodec.write(Object)}) serializes it as
     * much, so it counts as one, and the values its callers pass are followed instead; until no new such
     * method appears.
     */
    static List<Use> in(List<Path> classFolders) {
        List<ClassNode> classes = classes(classFolders);
        Set<String> passingOn = new TreeSet<>();
        while (true) {
            List<Use> uses = new ArrayList<>();
            Set<String> found = new TreeSet<>();
            for (ClassNode node : classes) {
                uses.addAll(inClass(node, passingOn, found));
            }
            if (!passingOn.addAll(found)) {
                return uses;
            }
        }
    }

    private static List<ClassNode> classes(List<Path> classFolders) {
        List<ClassNode> classes = new ArrayList<>();
        for (Path folder : classFolders) {
            try (Stream<Path> files = Files.walk(folder)) {
                files.filter(f -> f.toString().endsWith(".class")).map(SerializedTypes::read).forEach(classes::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return classes;
    }

    /** The classes of this package prefix (slashed, {@code com/stripe/param/}) that the classes under these folders name. */
    static Set<String> referenced(List<Path> classFolders, String prefix) {
        Set<String> names = new TreeSet<>();
        for (Path folder : classFolders) {
            try (Stream<Path> files = Files.walk(folder)) {
                files.filter(f -> f.toString().endsWith(".class")).map(SerializedTypes::read).forEach(node -> {
                    for (MethodNode method : node.methods) {
                        for (AbstractInsnNode insn : method.instructions) {
                            String owner = insn instanceof MethodInsnNode call ? call.owner
                                    : insn instanceof TypeInsnNode type ? type.desc
                                    : insn instanceof FieldInsnNode field ? field.owner : null;
                            if (owner != null && owner.startsWith(prefix)) {
                                names.add(owner.replace('/', '.'));
                            }
                        }
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return names;
    }

    /**
     * The type and, of those among these folders' classes, the types its fields hold (a List's element
     * too), and theirs: Jackson writes them all, so each needs registering as much as the outer one.
     */
    static Set<String> withFieldTypes(String type, List<Path> classFolders) {
        Set<String> all = new TreeSet<>();
        List<String> pending = new ArrayList<>(List.of(type));
        while (!pending.isEmpty()) {
            String next = pending.remove(pending.size() - 1);
            if (!all.add(next)) {
                continue;
            }
            classFolders.stream().map(f -> f.resolve(next.replace('.', '/') + ".class")).filter(Files::exists).findFirst()
                    .map(SerializedTypes::read).ifPresent(node -> node.fields.stream()
                            .filter(field -> (field.access & Opcodes.ACC_STATIC) == 0)
                            .forEach(field -> {
                                Matcher named = NAMED_TYPE.matcher(field.signature != null ? field.signature : field.desc);
                                while (named.find()) {
                                    String held = named.group(1).replace('/', '.');
                                    if (classFolders.stream().anyMatch(f -> Files.exists(f.resolve(named.group(1) + ".class")))) {
                                        pending.add(held);
                                    }
                                }
                            }));
        }
        return all;
    }

    /**
     * The uses in one class's methods; a method whose parameter reaches a sink is added to {@code found}
     * as {@code owner.name(descriptor)#argument}, and calls of those already in {@code passingOn} are sinks.
     */
    private static List<Use> inClass(ClassNode node, Set<String> passingOn, Set<String> found) {
        List<Use> uses = new ArrayList<>();
        for (MethodNode method : node.methods) {
            if (method.instructions.size() == 0) {
                continue;
            }
            Frame<SourceValue>[] frames;
            try {
                frames = new Analyzer<>(new SourceInterpreter()).analyze(node.name, method);
            } catch (AnalyzerException e) {
                throw new IllegalStateException(node.name + "." + method.name + ": " + e.getMessage(), e);
            }
            String where = node.name.replace('/', '.') + "." + method.name;
            for (int i = 0; i < frames.length; i++) {
                if (!(method.instructions.get(i) instanceof MethodInsnNode call) || frames[i] == null) {
                    continue;
                }
                boolean sink = SINKS.getOrDefault(call.owner, Set.of()).contains(call.name);
                Type[] arguments = Type.getArgumentTypes(call.desc);
                Frame<SourceValue> frame = frames[i];
                for (int argument = 0; argument < arguments.length; argument++) {
                    String descriptor = arguments[argument].getDescriptor();
                    boolean serialized = sink ? descriptor.equals(OBJECT) || descriptor.equals(CLASS)
                            : passingOn.contains(call.owner + "." + call.name + call.desc + "#" + argument);
                    if (!serialized) {
                        continue;
                    }
                    SourceValue value = frame.getStack(frame.getStackSize() - arguments.length + argument);
                    for (AbstractInsnNode source : value.insns) {
                        int parameter = parameter(method, source);
                        if (parameter >= 0 && isLambda(method)) {
                            // A lambda is called through invokedynamic, never by a call this reads: its
                            // parameter's declared type (javac's, from the inferred type) is the value's.
                            uses.add(new Use(descriptor.equals(CLASS) ? "?" : Type.getArgumentTypes(method.desc)[parameter]
                                    .getClassName(), where));
                            continue;
                        }
                        if (parameter >= 0) {
                            found.add(node.name + "." + method.name + method.desc + "#" + parameter);
                            continue;
                        }
                        String type = descriptor.equals(CLASS) ? classLiteral(source) : staticType(method, frames, source);
                        if (type != null) {
                            uses.add(new Use(type, where));
                        }
                    }
                }
            }
        }
        return uses;
    }

    private static boolean isLambda(MethodNode method) {
        return (method.access & Opcodes.ACC_SYNTHETIC) != 0 && method.name.startsWith("lambda$");
    }

    /**
     * The types Hibernate writes as JSON with its own mapper, outside any call this reads: a field mapped
     * with {@code @JdbcTypeCode} (a JSON column) and what a JSON {@code AttributeConverter} converts, by
     * the classes of these folders their declared (generic) types name.
     */
    static List<Use> jsonColumns(List<Path> classFolders) {
        List<Use> uses = new ArrayList<>();
        List<ClassNode> classes = classes(classFolders);
        // A JSON converter, and its subclasses (a generic one's, which name the type it converts).
        Set<String> converters = new TreeSet<>();
        classes.stream().filter(node -> node.interfaces.contains("jakarta/persistence/AttributeConverter") && writesJson(node))
                .forEach(node -> converters.add(node.name));
        for (ClassNode node : classes) {
            String where = node.name.replace('/', '.');
            if (node.signature != null && (converters.contains(node.name) || converters.contains(node.superName))) {
                named(node.signature, classFolders, where).stream()
                        .filter(use -> !converters.contains(use.type().replace('.', '/'))).forEach(uses::add);
            }
            node.fields.stream().filter(field -> field.visibleAnnotations != null && field.visibleAnnotations.stream()
                            .anyMatch(a -> a.desc.equals("Lorg/hibernate/annotations/JdbcTypeCode;")))
                    .forEach(field -> uses.addAll(named(field.signature != null ? field.signature : field.desc, classFolders,
                            where + "." + field.name)));
        }
        return uses;
    }

    /** A converter that turns its value into JSON (not an enum's code): it calls Jackson. */
    private static boolean writesJson(ClassNode node) {
        return node.methods.stream().flatMap(m -> StreamSupport.stream(m.instructions.spliterator(), false))
                .anyMatch(insn -> insn instanceof MethodInsnNode call && call.owner.startsWith("com/fasterxml/jackson/databind/"));
    }

    private static List<Use> named(String signature, List<Path> classFolders, String where) {
        List<Use> uses = new ArrayList<>();
        Matcher named = NAMED_TYPE.matcher(signature);
        while (named.find()) {
            String slashed = named.group(1);
            if (classFolders.stream().anyMatch(f -> Files.exists(f.resolve(slashed + ".class")))) {
                uses.add(new Use(slashed.replace('/', '.'), where));
            }
        }
        return uses;
    }

    /** The position of the method's parameter this instruction loads, or -1 when it loads something else. */
    private static int parameter(MethodNode method, AbstractInsnNode source) {
        if (!(source instanceof VarInsnNode load) || load.getOpcode() != Opcodes.ALOAD) {
            return -1;
        }
        int slot = (method.access & Opcodes.ACC_STATIC) != 0 ? 0 : 1;
        Type[] parameters = Type.getArgumentTypes(method.desc);
        for (int p = 0; p < parameters.length; p++) {
            if (slot == load.var) {
                // A parameter reassigned before the call is another value; javac's lambdas and helpers do not.
                return p;
            }
            slot += parameters[p].getSize();
        }
        return -1;
    }

    /** The class a {@code X.class} argument names; null for a class from elsewhere (a variable). */
    private static String classLiteral(AbstractInsnNode source) {
        // Object.class asks for plain maps and lists, which need nothing registered.
        return source instanceof LdcInsnNode ldc && ldc.cst instanceof Type type && type.getSort() == Type.OBJECT
                && !type.getClassName().equals("java.lang.Object") ? type.getClassName() : null;
    }

    /** The declared type of the value an instruction leaves on the stack, or "?" when ASM cannot tell. */
    private static String staticType(MethodNode method, Frame<SourceValue>[] frames, AbstractInsnNode source) {
        if (source.getOpcode() == Opcodes.DUP) {
            // new X(...) leaves the copy DUP made: the type is that of what was duplicated, the NEW.
            Frame<SourceValue> before = frames[method.instructions.indexOf(source)];
            SourceValue top = before.getStack(before.getStackSize() - 1);
            return top.insns.size() == 1 ? staticType(method, frames, top.insns.iterator().next()) : "?";
        }
        if (source instanceof TypeInsnNode t && (t.getOpcode() == Opcodes.NEW || t.getOpcode() == Opcodes.CHECKCAST)) {
            return Type.getObjectType(t.desc).getClassName();
        }
        if (source instanceof MethodInsnNode m) {
            return Type.getReturnType(m.desc).getClassName();
        }
        if (source instanceof FieldInsnNode f) {
            return Type.getType(f.desc).getClassName();
        }
        if (source instanceof LdcInsnNode l) {
            return l.cst.getClass().getName();
        }
        if (source instanceof VarInsnNode v) {
            return local(method, v);
        }
        return source.getOpcode() == Opcodes.ACONST_NULL ? null : "?";
    }

    private static String local(MethodNode method, VarInsnNode load) {
        int at = method.instructions.indexOf(load);
        if (method.localVariables != null) {
            for (LocalVariableNode variable : method.localVariables) {
                if (variable.index == load.var && method.instructions.indexOf(variable.start) <= at
                        && at <= method.instructions.indexOf(variable.end)) {
                    return Type.getType(variable.desc).getClassName();
                }
            }
        }
        return "?";
    }

    private static ClassNode read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            ClassNode node = new ClassNode();
            new ClassReader(in).accept(node, 0);
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Set<String> PLAIN = Set.of("byte[]", "char[]", "int", "long", "boolean");

    /** Not a type whose shape needs reflection: a JDK type or Jackson's own tree. */
    static boolean needsNoRegistration(String type) {
        return type.startsWith("java.") || type.startsWith("com.fasterxml.jackson.databind.")
                || type.startsWith("io.vertx.core.json.") || PLAIN.contains(type);
    }
}
