import Flows
import Store

extension Flow {
    /// The flow's stages and steps as a run records them (``RunRecord/flowOutline``): the doctor finds
    /// the runs of a renamed copy of a flow file by them.
    public var outline: FlowOutline { FlowFingerprint(self).outline }
}
