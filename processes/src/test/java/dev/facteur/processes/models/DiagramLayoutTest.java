package dev.facteur.processes.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.Activity;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.FlowElement;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.SubProcess;
import org.camunda.bpm.model.bpmn.instance.TimerEventDefinition;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnEdge;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnShape;
import org.camunda.bpm.model.bpmn.instance.dc.Bounds;
import org.camunda.bpm.model.bpmn.instance.di.Waypoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The models as Cockpit draws them, read from their DI coordinates: no two shapes on top of each other, no
 * label over a shape or another label (names without label bounds placed where bpmn-js puts them), no flow
 * through a shape it does not start or end at, and every boundary timer on the bottom edge of its task with
 * its path leaving downwards.
 */
class DiagramLayoutTest {

    static Stream<Path> models() throws IOException {
        return Files.list(Path.of("src/main/resources/bpmn"))
                .filter(p -> p.toString().endsWith(".bpmn"))
                .sorted();
    }

    @ParameterizedTest
    @MethodSource("models")
    void shapesAndLabelsDoNotOverlapFlowsDoNotCrossTasksAndTimersHangBelow(Path model) {
        assertThat(DiagramLayout.problems(Bpmn.readModelFromFile(model.toFile())))
                .isEmpty();
    }

    @Test
    void aModelDrawnCarelesslyIsCaught() {
        String broken = """
                <?xml version="1.0" encoding="UTF-8"?>
                <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                    xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
                    xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
                    id="d" targetNamespace="t">
                  <bpmn:process id="p" isExecutable="true">
                    <bpmn:startEvent id="Start" name="Started"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
                    <bpmn:userTask id="Approve" name="Approve"><bpmn:incoming>F1</bpmn:incoming></bpmn:userTask>
                    <bpmn:serviceTask id="Other" name="Other" />
                    <bpmn:boundaryEvent id="Late" name="Waiting too long" attachedToRef="Approve">
                      <bpmn:outgoing>F2</bpmn:outgoing><bpmn:timerEventDefinition />
                    </bpmn:boundaryEvent>
                    <bpmn:endEvent id="End"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
                    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Approve" />
                    <bpmn:sequenceFlow id="F2" sourceRef="Late" targetRef="End" />
                  </bpmn:process>
                  <bpmndi:BPMNDiagram id="D"><bpmndi:BPMNPlane id="P" bpmnElement="p">
                    <bpmndi:BPMNShape id="Start_di" bpmnElement="Start"><dc:Bounds x="100" y="100" width="36" height="36" />
                      <bpmndi:BPMNLabel><dc:Bounds x="150" y="100" width="90" height="14" /></bpmndi:BPMNLabel></bpmndi:BPMNShape>
                    <bpmndi:BPMNShape id="Approve_di" bpmnElement="Approve"><dc:Bounds x="200" y="80" width="100" height="80" /></bpmndi:BPMNShape>
                    <bpmndi:BPMNShape id="Other_di" bpmnElement="Other"><dc:Bounds x="280" y="150" width="100" height="80" /></bpmndi:BPMNShape>
                    <bpmndi:BPMNShape id="Late_di" bpmnElement="Late"><dc:Bounds x="232" y="62" width="36" height="36" /></bpmndi:BPMNShape>
                    <bpmndi:BPMNShape id="End_di" bpmnElement="End"><dc:Bounds x="500" y="300" width="36" height="36" /></bpmndi:BPMNShape>
                    <bpmndi:BPMNEdge id="F1_di" bpmnElement="F1"><di:waypoint x="136" y="118" /><di:waypoint x="200" y="118" /></bpmndi:BPMNEdge>
                    <bpmndi:BPMNEdge id="F2_di" bpmnElement="F2"><di:waypoint x="250" y="62" /><di:waypoint x="250" y="20" />
                      <di:waypoint x="330" y="20" /><di:waypoint x="330" y="318" /><di:waypoint x="500" y="318" /></bpmndi:BPMNEdge>
                  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
                </bpmn:definitions>""".strip();

        List<String> problems = DiagramLayout.problems(
                Bpmn.readModelFromStream(new ByteArrayInputStream(broken.getBytes(StandardCharsets.UTF_8))));

        assertThat(problems)
                .contains(
                        "shapes overlap: Approve and Other",
                        "label over a shape: Start label and Approve",
                        "labels overlap: Start label and Late label",
                        "flow F2 crosses Other",
                        "timer Late is not on the bottom edge of Approve",
                        "timer path F2 does not leave downwards from below its task");
    }

    /** The checks, also used by the test above on a model drawn carelessly on purpose. */
    static final class DiagramLayout {

        static List<String> problems(BpmnModelInstance model) {
            List<String> problems = new ArrayList<>();
            List<BpmnShape> shapes = List.copyOf(model.getModelElementsByType(BpmnShape.class));
            List<BpmnEdge> edges = List.copyOf(model.getModelElementsByType(BpmnEdge.class));
            List<Box> labels = new ArrayList<>();
            for (BpmnShape shape : shapes) {
                if (shape.getBpmnLabel() != null && shape.getBpmnLabel().getBounds() != null) {
                    labels.add(new Box(
                            id(shape.getBpmnElement()) + " label",
                            shape.getBpmnLabel().getBounds()));
                } else if (externalLabel(shape.getBpmnElement())) {
                    labels.add(Box.defaultLabelBelow(shape, ((FlowNode) shape.getBpmnElement()).getName()));
                }
            }
            for (BpmnEdge edge : edges) {
                if (edge.getBpmnLabel() != null && edge.getBpmnLabel().getBounds() != null) {
                    labels.add(new Box(
                            id(edge.getBpmnElement()) + " label",
                            edge.getBpmnLabel().getBounds()));
                } else if (edge.getBpmnElement() instanceof SequenceFlow flow
                        && flow.getName() != null
                        && !flow.getName().isBlank()) {
                    labels.add(Box.defaultFlowLabel(edge, flow.getName()));
                }
            }
            for (int i = 0; i < shapes.size(); i++) {
                for (int j = i + 1; j < shapes.size(); j++) {
                    BpmnShape a = shapes.get(i);
                    BpmnShape b = shapes.get(j);
                    if (mayOverlap(a, b) || mayOverlap(b, a)) {
                        continue;
                    }
                    if (box(a).overlaps(box(b))) {
                        problems.add("shapes overlap: " + id(a.getBpmnElement()) + " and " + id(b.getBpmnElement()));
                    }
                }
            }
            for (int i = 0; i < labels.size(); i++) {
                for (int j = i + 1; j < labels.size(); j++) {
                    if (labels.get(i).overlaps(labels.get(j))) {
                        problems.add("labels overlap: " + labels.get(i).name() + " and "
                                + labels.get(j).name());
                    }
                }
                for (BpmnShape shape : shapes) {
                    if (!(shape.getBpmnElement() instanceof SubProcess sub && Boolean.TRUE.equals(shape.isExpanded()))
                            && labels.get(i).overlaps(box(shape))) {
                        problems.add(
                                "label over a shape: " + labels.get(i).name() + " and " + id(shape.getBpmnElement()));
                    }
                }
            }
            for (BpmnEdge edge : edges) {
                if (!(edge.getBpmnElement() instanceof SequenceFlow flow)) {
                    continue;
                }
                List<Waypoint> points = List.copyOf(edge.getWaypoints());
                for (BpmnShape shape : shapes) {
                    BaseElement element = shape.getBpmnElement();
                    if (!(element instanceof FlowNode)
                            || element == flow.getSource()
                            || element == flow.getTarget()
                            || contains(element, flow.getSource())
                            || contains(element, flow.getTarget())) {
                        continue;
                    }
                    Box box = box(shape).shrunk(2);
                    for (int k = 1; k < points.size(); k++) {
                        if (box.crossedBy(points.get(k - 1), points.get(k))) {
                            problems.add("flow " + flow.getId() + " crosses " + element.getId());
                            break;
                        }
                    }
                }
            }
            for (BoundaryEvent timer : model.getModelElementsByType(BoundaryEvent.class)) {
                if (timer.getEventDefinitions().stream().noneMatch(TimerEventDefinition.class::isInstance)) {
                    continue;
                }
                Box event = box(shapeOf(shapes, timer));
                Box host = box(shapeOf(shapes, timer.getAttachedTo()));
                if (Math.abs(event.centreY() - host.bottom()) > 2) {
                    problems.add("timer " + timer.getId() + " is not on the bottom edge of "
                            + timer.getAttachedTo().getId());
                }
                for (SequenceFlow out : timer.getOutgoing()) {
                    List<Waypoint> points = List.copyOf(edgeOf(edges, out).getWaypoints());
                    if (points.get(0).getY() < event.bottom() - 1
                            || points.get(1).getY() <= points.get(0).getY()) {
                        problems.add("timer path " + out.getId() + " does not leave downwards from below its task");
                    }
                }
            }
            return problems;
        }

        private static boolean externalLabel(BaseElement element) {
            return element instanceof FlowNode node
                    && !(element instanceof Activity)
                    && node.getName() != null
                    && !node.getName().isBlank();
        }

        /** A boundary event sits on its task's edge; what an expanded sub-process holds lies inside it. */
        private static boolean mayOverlap(BpmnShape a, BpmnShape b) {
            if (a.getBpmnElement() instanceof BoundaryEvent event && event.getAttachedTo() == b.getBpmnElement()) {
                return true;
            }
            return Boolean.TRUE.equals(a.isExpanded()) && contains(a.getBpmnElement(), b.getBpmnElement());
        }

        private static boolean contains(BaseElement container, FlowNode node) {
            return contains(container, (BaseElement) node);
        }

        private static boolean contains(BaseElement container, BaseElement element) {
            return container instanceof SubProcess sub
                    && sub.getFlowElements().stream().anyMatch(child -> child == element || contains(child, element));
        }

        private static BpmnShape shapeOf(Collection<BpmnShape> shapes, BaseElement element) {
            return shapes.stream()
                    .filter(s -> s.getBpmnElement() == element)
                    .findFirst()
                    .orElseThrow();
        }

        private static BpmnEdge edgeOf(Collection<BpmnEdge> edges, FlowElement element) {
            return edges.stream()
                    .filter(e -> e.getBpmnElement() == element)
                    .findFirst()
                    .orElseThrow();
        }

        private static Box box(BpmnShape shape) {
            return new Box(id(shape.getBpmnElement()), shape.getBounds());
        }

        private static String id(BaseElement element) {
            return element == null ? "?" : element.getId();
        }
    }

    record Box(String name, double x, double y, double width, double height) {

        Box(String name, Bounds bounds) {
            this(name, bounds.getX(), bounds.getY(), bounds.getWidth(), bounds.getHeight());
        }

        /** Where bpmn-js puts an event's or gateway's name without label bounds: centred below, 90 px wide. */
        static Box defaultLabelBelow(BpmnShape shape, String text) {
            Bounds b = shape.getBounds();
            double width = Math.min(90, textWidth(text));
            return new Box(
                    shape.getBpmnElement().getId() + " label",
                    b.getX() + b.getWidth() / 2 - width / 2,
                    b.getY() + b.getHeight() + 5,
                    width,
                    lines(text) * LINE_HEIGHT);
        }

        /** Where bpmn-js puts a flow's name without label bounds: 15 px off the middle of its middle segment. */
        static Box defaultFlowLabel(BpmnEdge edge, String text) {
            List<Waypoint> points = List.copyOf(edge.getWaypoints());
            double mid = points.size() / 2.0 - 1;
            Waypoint first = points.get((int) Math.floor(mid));
            Waypoint second = points.get((int) Math.ceil(mid + 0.01));
            double x = (first.getX() + second.getX()) / 2;
            double y = (first.getY() + second.getY()) / 2;
            if (first.getY() == second.getY()) {
                y -= 15;
            } else {
                x += 15;
            }
            double width = Math.min(90, textWidth(text));
            double height = lines(text) * LINE_HEIGHT;
            return new Box(edge.getBpmnElement().getId() + " label", x - width / 2, y - height / 2, width, height);
        }

        private static final double LINE_HEIGHT = 14;

        /** 11 px Arial, as bpmn-js renders labels: about 6 px a character on average. */
        private static double textWidth(String text) {
            return text.length() * 6.0;
        }

        private static int lines(String text) {
            int lines = 1;
            double line = 0;
            for (String word : text.split("\\s+")) {
                double width = textWidth(word + " ");
                if (line > 0 && line + width > 96) {
                    lines++;
                    line = 0;
                }
                line += width;
            }
            return lines;
        }

        double bottom() {
            return y + height;
        }

        double centreY() {
            return y + height / 2;
        }

        boolean overlaps(Box other) {
            return x < other.x + other.width
                    && other.x < x + width
                    && y < other.y + other.height
                    && other.y < y + height;
        }

        Box shrunk(double by) {
            return new Box(name, x + by, y + by, width - 2 * by, height - 2 * by);
        }

        /** Whether the segment passes through the inside of this box (flows are drawn horizontal or vertical). */
        boolean crossedBy(Waypoint from, Waypoint to) {
            double minX = Math.min(from.getX(), to.getX());
            double maxX = Math.max(from.getX(), to.getX());
            double minY = Math.min(from.getY(), to.getY());
            double maxY = Math.max(from.getY(), to.getY());
            if (maxX < x || minX > x + width || maxY < y || minY > y + height) {
                return false;
            }
            if (minX == maxX || minY == maxY) {
                return true;
            }
            for (int step = 0; step <= 100; step++) {
                double px = from.getX() + (to.getX() - from.getX()) * step / 100;
                double py = from.getY() + (to.getY() - from.getY()) * step / 100;
                if (px > x && px < x + width && py > y && py < y + height) {
                    return true;
                }
            }
            return false;
        }
    }
}
