# passsafe: `make` builds build/passsafe.jar, `make test` runs every test. `make help` lists all.
.DELETE_ON_ERROR:
# bash, for the test runs' pipefail: their output shows as they go and their status still counts.
SHELL     := /bin/bash
.SUFFIXES:
.DEFAULT_GOAL := jar

VERSION   := 0.1.0
# The Maven coordinates: io.github.passsafe:passsafe:$(VERSION).
GROUP     := io.github.passsafe
JUNIT     := 1.11.4
PGJDBC    := 42.7.4
# JAVA_HOME picks the JDK (as .ci/run does); otherwise the one on PATH.
JDK_BIN   := $(if $(JAVA_HOME),$(JAVA_HOME)/bin/)
JAVAC     := $(JDK_BIN)javac
JAVA      := $(JDK_BIN)java
JARTOOL   := $(JDK_BIN)jar
MVN       := mvn -q -B
BUILD     := build
JAR       := $(BUILD)/passsafe.jar
# One package in four layers, each compiled against the ones before it only, so a reference up a
# layer (core naming a client class, say) fails the build: core, client, server, cli.
LAYERS    := core client server cli
SOURCES   := $(foreach layer,$(LAYERS),$(wildcard src/$(layer)/passsafe/*.java))
# Classes that need a newer JDK than 11, for the multi-release part of the jar (META-INF/versions/N).
SOURCES16 := $(wildcard src/versions/16/passsafe/*.java)
SOURCES22 := $(wildcard src/versions/22/passsafe/*.java)
# The JDK 22 part (the Foreign Function & Memory API) needs a javac that knows --release 22: this
# JDK's, or the first one under /usr/lib/jvm that does. Without one the jar lacks it, and says so.
JAVAC22   := $(shell for j in $(JAVAC) /usr/lib/jvm/*/bin/javac; do \
	v=$$($$j -version 2>&1 | sed -n 's/^javac \([0-9]*\).*/\1/p'); \
	[ "$${v:-0}" -ge 22 ] 2>/dev/null && { echo $$j; break; }; done)
# An older jar tool cannot read the JDK 22 classes it would pack: the jar comes from that JDK then.
JARTOOL22 := $(if $(filter-out $(JAVAC),$(JAVAC22)),$(dir $(JAVAC22))jar,$(JARTOOL))
# Tests mirror the layers (test/LAYER/passsafe); test/system runs the real jar and the real tools
# (PostgreSQL, Jupyter, jbang, Spark, another user), test/support holds helpers, test/bench the benchmark.
TESTS     := $(filter-out test/fuzz/%,$(wildcard test/*/passsafe/*.java))
# test/fuzz: Jazzer's fuzz targets, compiled and run apart, with their stored inputs beside them.
FUZZ_TESTS := $(wildcard test/fuzz/passsafe/*.java)
# make check: the layers' own tests, in-process, none of the tools; class names from the file names.
CHECK_CLASSES := $(basename $(notdir $(foreach layer,$(LAYERS),$(wildcard test/$(layer)/passsafe/*Test.java))))
JUNIT_JAR := $(BUILD)/lib/junit-platform-console-standalone-$(JUNIT).jar
# Test-only: the PostgreSQL JDBC driver, for Client.connect against a real database.
PGJDBC_JAR := $(BUILD)/lib/postgresql-$(PGJDBC).jar

.PHONY: help jar check test bench mutation fuzz wordlist clean install uninstall install-m2
PREFIX    ?= $(HOME)/.local

help: ## list the targets
	@awk -F':.*## ' '/^[a-z0-9-]+:.*## /{printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

POM         := $(BUILD)/passsafe-$(VERSION).pom
SOURCES_JAR := $(BUILD)/passsafe-$(VERSION)-sources.jar
JAVADOC_JAR := $(BUILD)/passsafe-$(VERSION)-javadoc.jar
JBANG       := 0.132.1
JBANG_LIB   := $(BUILD)/lib/jbang
SPARK       := 4.2.0
SPARK_LIB   := $(BUILD)/lib/spark
# JDBC tools for JdbcToolsTest: a connection pool on the tests' class path, a SQL client run as a process.
HIKARI      := 7.1.0
HIKARI_LIB  := $(BUILD)/lib/hikari
# The slf4j-api that HikariCP $(HIKARI) depends on, named for the tests' class path.
HIKARI_CP   := $(HIKARI_LIB)/HikariCP-$(HIKARI).jar:$(HIKARI_LIB)/slf4j-api-2.0.17.jar
SQLLINE     := 1.12.0
SQLLINE_LIB := $(BUILD)/lib/sqlline
# Mutation testing (make mutation): PIT and its JUnit 5 plugin.
PIT         := 1.30.2
PIT_JUNIT5  := 1.2.3
PIT_LIB     := $(BUILD)/lib/pit
# The security core PIT mutates, and the in-process tests fast enough to run once per mutant.
MUTATED     := Kdf Envelope KeyCheck Opener Sealer Token Passphrase Names Durations Utf8 Safe Gate Handler Protocol AesKey \
	HttpStream HttpLines Request Response SessionFile SocketDirectory Transport EndedNote DriverUrl LoopbackUrl
MUTATION_TESTS := KdfTest KeyCheckTest EnvelopeTest AesKeyTest OpenerTest SealerTest SocketDirectoryTest DriverUrlTest TokenTest PassphraseTest DurationsTest Utf8Test ResponseTest HttpLinesTest LoopbackUrlTest \
	SafeTest GateTest HandlerTest HttpStreamTest FramingTest ServerTest SessionFileTest EndedNoteTest TransportTest ClientTest DriverTest
comma       := ,
# Fuzzing (make fuzz), and the replay of the stored inputs in make test: Jazzer's JUnit integration.
JAZZER      := 0.24.0
JAZZER_LIB  := $(BUILD)/lib/jazzer
JAZZER_CP   := $(JAZZER_LIB)/jazzer-$(JAZZER).jar:$(JAZZER_LIB)/jazzer-api-$(JAZZER).jar:$(JAZZER_LIB)/jazzer-junit-$(JAZZER).jar

jar: $(JAR) $(POM) ## build build/passsafe.jar (the server and the client library) and its POM

# build/classes/LAYER.stamp: one javac per layer, its class path the layers before it.
empty     :=
space     := $(empty) $(empty)
layer_cp = $(subst $(space),:,$(patsubst %,$(BUILD)/classes/%,$(1)))
$(BUILD)/classes/core.stamp: $(wildcard src/core/passsafe/*.java)
$(BUILD)/classes/client.stamp: $(wildcard src/client/passsafe/*.java) $(BUILD)/classes/core.stamp
$(BUILD)/classes/server.stamp: $(wildcard src/server/passsafe/*.java) $(BUILD)/classes/client.stamp
$(BUILD)/classes/cli.stamp: $(wildcard src/cli/passsafe/*.java) $(BUILD)/classes/server.stamp
$(BUILD)/classes/%.stamp:
	rm -rf $(BUILD)/classes/$*
	$(JAVAC) --release 11 -Xlint:all -Werror -implicit:none -XDstringConcat=inline \
		$(if $(LAYERS_BEFORE_$*),-cp $(call layer_cp,$(LAYERS_BEFORE_$*))) -d $(BUILD)/classes/$* src/$*/passsafe/*.java
	touch $@
LAYERS_BEFORE_client := core
LAYERS_BEFORE_server := core client
LAYERS_BEFORE_cli    := core client server
CLASSES   := $(call layer_cp,$(LAYERS))

$(BUILD)/classes.stamp: $(BUILD)/classes/cli.stamp
	touch $@

$(BUILD)/classes16.stamp: $(SOURCES16) $(BUILD)/classes.stamp
	rm -rf $(BUILD)/classes16
	$(JAVAC) --release 16 -Xlint:all -Werror -cp $(call layer_cp,core) -d $(BUILD)/classes16 $(SOURCES16)
	touch $@

$(BUILD)/classes22.stamp: $(SOURCES22) $(BUILD)/classes.stamp
	rm -rf $(BUILD)/classes22
	mkdir -p $(BUILD)/classes22
	$(if $(JAVAC22),$(JAVAC22) --release 22 -Xlint:all -Werror -cp $(call layer_cp,core client server) -d $(BUILD)/classes22 $(SOURCES22),\
		@echo "make: no JDK 22 or newer found: the jar cannot make its server non-dumpable" >&2)
	touch $@

# Enable-Native-Access: the JDK 22 part calls prctl, and java -jar then prints no warning for it.
# META-INF/services/java.sql.Driver: DriverManager finds passsafe.Driver with the jar on the class path.
$(JAR): $(BUILD)/classes.stamp $(BUILD)/classes16.stamp $(BUILD)/classes22.stamp wordlist.txt src/client/META-INF/services/java.sql.Driver
	printf 'Automatic-Module-Name: passsafe\nImplementation-Title: passsafe\nImplementation-Version: $(VERSION)\nEnable-Native-Access: ALL-UNNAMED\n' > $(BUILD)/manifest.txt
	$(JARTOOL22) --create --file $@ --main-class passsafe.Main --manifest $(BUILD)/manifest.txt \
		$(foreach layer,$(LAYERS),-C $(BUILD)/classes/$(layer) .) wordlist.txt -C src/client META-INF/services --release 16 -C $(BUILD)/classes16 . \
		$(if $(JAVAC22),--release 22 -C $(BUILD)/classes22 .)

$(POM): Makefile
	mkdir -p $(BUILD)
	printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' \
		'<project xmlns="http://maven.apache.org/POM/4.0.0">' \
		'  <modelVersion>4.0.0</modelVersion>' \
		'  <groupId>$(GROUP)</groupId>' \
		'  <artifactId>passsafe</artifactId>' \
		'  <version>$(VERSION)</version>' \
		'  <packaging>jar</packaging>' \
		'  <name>passsafe</name>' \
		'  <description>Hand a password to the programs you write in notebooks, jshell, jbang scripts and JDBC code, without typing it into code. No dependencies.</description>' \
		'  <licenses><license><name>MIT</name></license></licenses>' \
		'</project>' > $@

$(SOURCES_JAR): $(SOURCES) $(SOURCES16) $(SOURCES22)
	$(JARTOOL) --create --file $@ $(foreach layer,$(LAYERS),-C src/$(layer) passsafe) -C src versions

# The public API's documentation: Client, Secret, PasssafeException.
$(JAVADOC_JAR): $(SOURCES)
	rm -rf $(BUILD)/javadoc
	$(JDK_BIN)javadoc -quiet -Xdoclint:all -Werror --release 11 -d $(BUILD)/javadoc -sourcepath $(subst $(space),:,$(patsubst %,src/%,$(LAYERS))) passsafe
	$(JARTOOL) --create --file $@ -C $(BUILD)/javadoc .

install-m2: $(JAR) $(POM) $(SOURCES_JAR) $(JAVADOC_JAR) ## install the jar, its sources and javadoc in the local Maven repository
	$(MVN) org.apache.maven.plugins:maven-install-plugin:3.1.3:install-file -Dfile=$(JAR) -DpomFile=$(POM) \
		-Dsources=$(SOURCES_JAR) -Djavadoc=$(JAVADOC_JAR)

# Writes a POM that depends on $(1) (group:artifact:version) and copies it, with everything it
# depends on, into $(2): how the tests get jbang and Spark from Maven Central, as JUnit comes.
define copy-with-dependencies
	mkdir -p $(2)-fetch
	printf '%s\n' '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>' \
		'<groupId>local</groupId><artifactId>fetch</artifactId><version>1</version><packaging>pom</packaging>' \
		'<dependencies><dependency><groupId>$(word 1,$(subst :, ,$(1)))</groupId><artifactId>$(word 2,$(subst :, ,$(1)))</artifactId>' \
		'<version>$(word 3,$(subst :, ,$(1)))</version></dependency></dependencies></project>' > $(2)-fetch/pom.xml
	$(MVN) -f $(2)-fetch/pom.xml org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
		-DoutputDirectory=$(abspath $(2))
endef

# jbang, for the tests that run it.
$(JBANG_LIB)/jbang-cli-$(JBANG).jar:
	$(call copy-with-dependencies,dev.jbang:jbang-cli:$(JBANG),$(JBANG_LIB))

# HikariCP and sqlline, for JdbcToolsTest.
$(HIKARI_LIB)/HikariCP-$(HIKARI).jar:
	$(call copy-with-dependencies,com.zaxxer:HikariCP:$(HIKARI),$(HIKARI_LIB))
$(SQLLINE_LIB)/sqlline-$(SQLLINE).jar:
	$(call copy-with-dependencies,sqlline:sqlline:$(SQLLINE),$(SQLLINE_LIB))

# Spark, for SparkTest only: about 280 MB, run in a JVM of its own, never on the tests' class path.
$(SPARK_LIB)/spark-sql_2.13-$(SPARK).jar:
	$(call copy-with-dependencies,org.apache.spark:spark-sql_2.13:$(SPARK),$(SPARK_LIB))

# Test jars come through Maven's dependency plugin, once; later runs use Maven's local repository.
$(JUNIT_JAR):
	$(MVN) org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
		-Dartifact=org.junit.platform:junit-platform-console-standalone:$(JUNIT) \
		-DoutputDirectory=$(BUILD)/lib

$(PGJDBC_JAR):
	$(MVN) org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
		-Dartifact=org.postgresql:postgresql:$(PGJDBC) -DoutputDirectory=$(BUILD)/lib

# Tests may use the features of the JDK that runs them, from 17 on.
$(BUILD)/test-classes.stamp: $(TESTS) test/support/META-INF/services/org.junit.platform.launcher.TestExecutionListener $(BUILD)/classes.stamp $(JUNIT_JAR) $(HIKARI_LIB)/HikariCP-$(HIKARI).jar
	rm -rf $(BUILD)/test-classes
	$(JAVAC) --release 17 -Xlint:all -Werror -d $(BUILD)/test-classes \
		-cp $(CLASSES):$(JUNIT_JAR):$(HIKARI_CP) $(TESTS)
	cp -r test/support/META-INF $(BUILD)/test-classes/
	touch $@

$(JAZZER_LIB)/jazzer-junit-$(JAZZER).jar:
	$(call copy-with-dependencies,com.code-intelligence:jazzer-junit:$(JAZZER),$(JAZZER_LIB))

$(BUILD)/fuzz-classes.stamp: $(FUZZ_TESTS) $(BUILD)/test-classes.stamp $(JAZZER_LIB)/jazzer-junit-$(JAZZER).jar
	rm -rf $(BUILD)/fuzz-classes
	$(JAVAC) --release 17 -Xlint:all -Werror -d $(BUILD)/fuzz-classes \
		-cp $(CLASSES):$(BUILD)/test-classes:$(JUNIT_JAR):$(JAZZER_CP) $(FUZZ_TESTS)
	touch $@

TEST_TOOLS := $(PGJDBC_JAR) $(JBANG_LIB)/jbang-cli-$(JBANG).jar $(SPARK_LIB)/spark-sql_2.13-$(SPARK).jar $(SQLLINE_LIB)/sqlline-$(SQLLINE).jar

# One run of the JUnit console: $(1) the selection, $(2) the log. The tree prints as tests finish;
# the last line is the plain 'N passed, N failed' that CI reads.
define junit
	set -o pipefail; $(JAVA) -Dpasssafe.jar=$(JAR) -Dpasssafe.spark=$(SPARK_LIB) -Dpasssafe.pgjdbc=$(PGJDBC_JAR) -Dpasssafe.sqlline=$(SQLLINE_LIB) -jar $(JUNIT_JAR) execute \
		--disable-banner --disable-ansi-colors --fail-if-no-tests --details=tree \
		--class-path $(JAR):$(BUILD)/test-classes:$(PGJDBC_JAR):$(HIKARI_CP) $(1) 2>&1 | tee $(2); status=$$?; \
	awk '/tests successful/{ok=$$2} /tests failed/{bad=$$2} END{printf "test: %d passed, %d failed\n", ok, bad}' $(2); \
	exit $$status
endef

# The fuzz targets in a JVM of their own, with Jazzer on the system class path (its agent needs it
# there) and the classes as directories (Jazzer instruments those, not jars). test/fuzz is on the
# class path for the stored inputs, so make fuzz adds what it finds straight to them.
JAZZER_RUN = $(JAVA) -cp $(JAZZER_CP):$(JUNIT_JAR):$(CLASSES):$(BUILD)/test-classes:$(BUILD)/fuzz-classes:test/fuzz \
	-Djazzer.instrumentation_includes='passsafe.**' -Djazzer.internal.basedir=$(CURDIR)/$(BUILD)/fuzz \
	org.junit.platform.console.ConsoleLauncher execute --disable-banner --disable-ansi-colors --fail-if-no-tests --details=tree

check: $(JAR) $(JAVADOC_JAR) $(BUILD)/test-classes.stamp ## run the layers' fast tests (no PostgreSQL, Jupyter, jbang, Spark or other users; about 2 minutes)
	$(call junit,--exclude-tag other-user $(addprefix --select-class passsafe.,$(CHECK_CLASSES)),$(BUILD)/check.log)

test: $(JAR) $(JAVADOC_JAR) $(BUILD)/test-classes.stamp $(BUILD)/fuzz-classes.stamp $(TEST_TOOLS) ## run every test, and replay the fuzz targets' stored inputs; fails on any failure or on no tests
	set -o pipefail; $(JAZZER_RUN) --scan-class-path $(BUILD)/fuzz-classes > $(BUILD)/fuzz-replay.log 2>&1; status=$$?; \
	awk '/tests successful/{ok=$$2} /tests failed/{bad=$$2} END{printf "fuzz replay: %d passed, %d failed\n", ok, bad}' $(BUILD)/fuzz-replay.log; \
	[ $$status = 0 ] || { grep -vE '^INFO: ' $(BUILD)/fuzz-replay.log | tail -60; exit $$status; }
	$(call junit,--scan-class-path $(BUILD)/test-classes,$(BUILD)/test.log)

bench: $(JAR) $(BUILD)/test-classes.stamp ## measure speed and memory; prints a markdown table (about 3 minutes)
	$(JAVA) -cp $(JAR):$(BUILD)/test-classes passsafe.Bench

$(PIT_LIB)/pitest-command-line-$(PIT).jar:
	$(call copy-with-dependencies,org.pitest:pitest-command-line:$(PIT),$(PIT_LIB))
	$(call copy-with-dependencies,org.pitest:pitest-junit5-plugin:$(PIT_JUNIT5),$(PIT_LIB)-junit5)
	cp $(PIT_LIB)-junit5/*.jar $(PIT_LIB)/

# PIT over the security core with its in-process tests; the report goes to build/mutation, and
# the last lines are the score per class and every surviving mutant (test/mutation/explained.txt
# gives the reason for those that are kept on purpose). Slow: not part of make test.
mutation: $(JAR) $(BUILD)/test-classes.stamp $(PIT_LIB)/pitest-command-line-$(PIT).jar ## mutation testing of the security core with PIT; prints the score per class (about 15 minutes)
	rm -rf $(BUILD)/mutation
	$(JAVA) -cp '$(PIT_LIB)/*:$(JUNIT_JAR)' org.pitest.mutationtest.commandline.MutationCoverageReport \
		--reportDir $(BUILD)/mutation --timestampedReports=false --outputFormats HTML,CSV --threads 2 \
		--targetClasses $(subst $(space),$(comma),$(addprefix passsafe.,$(MUTATED))) \
		--targetTests $(subst $(space),$(comma),$(addprefix passsafe.,$(MUTATION_TESTS))) \
		--excludedGroups other-user --sourceDirs $(subst $(space),$(comma),$(addprefix src/,$(LAYERS))) \
		--classPath $(subst :,$(comma),$(CLASSES)),$(BUILD)/test-classes,$(JUNIT_JAR),$(PGJDBC_JAR),$(CURDIR) > $(BUILD)/mutation.log 2>&1 \
		|| { tail -30 $(BUILD)/mutation.log; exit 1; }
	test/mutation/summary.sh $(BUILD)/mutation/mutations.csv test/mutation/explained.txt

# Each fuzz target in turn, for the time its @FuzzTest gives (2 minutes); what a target finds is
# stored beside it (test/fuzz/passsafe/CLASSInputs/METHOD), and make test replays it from then on.
fuzz: $(BUILD)/fuzz-classes.stamp ## fuzz every parser with Jazzer, 2 minutes per target (about 25 minutes); prints what each found
	test/fuzz/fuzz.sh $(BUILD)/fuzz $(JAZZER_RUN)

wordlist: ## regenerate wordlist.txt from Debian's scowl lists (apt-get install scowl)
	mkdir -p $(BUILD)
	test/wordlist/make-wordlist.sh > $(BUILD)/wordlist.txt
	mv $(BUILD)/wordlist.txt wordlist.txt

install: $(JAR) ## put passsafe on PATH: PREFIX/bin/passsafe, its jar, man page and bash completion (PREFIX=~/.local)
	install -d $(PREFIX)/bin $(PREFIX)/share/passsafe $(PREFIX)/share/man/man1 $(PREFIX)/share/bash-completion/completions
	install -m 0755 passsafe.sh $(PREFIX)/bin/passsafe
	install -m 0644 $(JAR) $(PREFIX)/share/passsafe/passsafe.jar
	install -m 0644 src/man/passsafe.1 $(PREFIX)/share/man/man1/passsafe.1
	install -m 0644 src/completion/passsafe.bash $(PREFIX)/share/bash-completion/completions/passsafe

uninstall: ## remove what make install put in PREFIX
	rm -f $(PREFIX)/bin/passsafe $(PREFIX)/share/passsafe/passsafe.jar $(PREFIX)/share/man/man1/passsafe.1 \
		$(PREFIX)/share/bash-completion/completions/passsafe
	rmdir $(PREFIX)/share/passsafe 2>/dev/null || true

clean: ## remove build/
	rm -rf $(BUILD)
